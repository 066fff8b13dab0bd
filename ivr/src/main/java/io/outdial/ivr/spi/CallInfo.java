package io.outdial.ivr.spi;

import java.util.Map;

/**
 * What a flow knows about the call it runs on when it starts.
 *
 * @param attemptId     the dialer's attempt id (for logs and recording names)
 * @param phone         the dialed number, E.164
 * @param contactFields the contact's fields by name ({@code {{contact.<field>}}} in templates)
 * @param amdStatus     HUMAN, MACHINE, NOTSURE, or null when AMD did not run
 * @param amdCause      Asterisk's AMDCAUSE (e.g. {@code HUMAN-803-800}), or null
 */
public record CallInfo(String attemptId, String phone, Map<String, String> contactFields,
                       String amdStatus, String amdCause) {
    public CallInfo {
        contactFields = contactFields == null ? Map.of() : Map.copyOf(contactFields);
        amdStatus = amdStatus == null || amdStatus.isBlank() ? null : amdStatus;
        amdCause = amdCause == null || amdCause.isBlank() ? null : amdCause;
    }
}

package io.outdial.dialer.call;

import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.FlowRunner;

import java.util.Map;
import java.util.UUID;

/**
 * One call attempt to place.
 *
 * @param attemptId     the attempt's id (written to storage before the originate)
 * @param campaignId    campaign id for logs and records (may be null for ad-hoc calls)
 * @param contactId     contact id; also the key of the caller id choice
 * @param phone         number to dial, as the trunk expects it (E.164)
 * @param contactFields contact fields passed to the flow
 * @param trunk         the trunk to dial through
 * @param attemptNumber 1 for the first attempt of the contact, 2 for the first retry, ...
 * @param channelId     the pre-assigned ARI channel id (stored with the attempt); null to generate one
 * @param amd           run AMD before the flow; null means the trunk's setting
 * @param machinePolicy what to do when AMD says MACHINE
 * @param flowRunner    the flow to run on answer; null hangs up answered calls at once
 * @param variables     extra channel variables
 */
public record CallRequest(String attemptId, String campaignId, String contactId, String phone,
                          Map<String, String> contactFields, Trunk trunk, int attemptNumber, String channelId,
                          Boolean amd, MachinePolicy machinePolicy, FlowRunner flowRunner,
                          Map<String, String> variables) {
    public CallRequest {
        if (attemptId == null || attemptId.isBlank()) {
            throw new IllegalArgumentException("call request: attemptId must not be blank");
        }
        if (phone == null || phone.isBlank()) {
            throw new IllegalArgumentException("call request " + attemptId + ": phone must not be blank");
        }
        if (trunk == null) {
            throw new IllegalArgumentException("call request " + attemptId + ": trunk must be set");
        }
        if (attemptNumber < 1) {
            throw new IllegalArgumentException("call request " + attemptId + ": attemptNumber " + attemptNumber
                    + " must be >= 1");
        }
        if (channelId != null && !channelId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("call request " + attemptId + ": channelId \"" + channelId
                    + "\" must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        channelId = channelId == null ? "od-" + UUID.randomUUID() : channelId;
        contactFields = contactFields == null ? Map.of() : Map.copyOf(contactFields);
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        machinePolicy = machinePolicy == null ? MachinePolicy.HANG_UP : machinePolicy;
    }

    /** A request with defaults: generated channel id, the trunk's AMD setting, hang up on machines. */
    public static CallRequest of(String attemptId, String contactId, String phone, Trunk trunk, FlowRunner flow) {
        return new CallRequest(attemptId, null, contactId, phone, Map.of(), trunk, 1, null, null, null, flow, Map.of());
    }

    /** Whether AMD runs for this call. */
    public boolean amdEnabled() {
        return amd != null ? amd : trunk.amd();
    }
}

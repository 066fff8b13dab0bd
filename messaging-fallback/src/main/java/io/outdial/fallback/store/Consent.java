package io.outdial.fallback.store;

import io.outdial.fallback.scheme.ChannelType;
import java.util.Locale;
import java.util.Set;

/**
 * A recipient's opt-in per channel, carried in its contact fields: {@code consent_<channel>} (e.g.
 * {@code consent_whatsapp}) holds when and how it was given (a date, a source, or simply {@code yes}). A missing
 * or blank field, or {@code no}, {@code false}, {@code 0}, {@code revoked}, is no consent.
 */
public final class Consent {

    /** The prefix of consent fields. */
    public static final String FIELD_PREFIX = "consent_";

    private static final Set<String> NO = Set.of("no", "false", "0", "revoked", "n");

    private Consent() {
    }

    /** The contact field that holds consent for a channel, e.g. {@code consent_whatsapp}. */
    public static String field(ChannelType channel) {
        return FIELD_PREFIX + channel.json();
    }

    /** True when the recipient opted in to the channel. */
    public static boolean granted(Recipient r, ChannelType channel) {
        String v = r.fields().get(field(channel));
        return v != null && !v.isBlank() && !NO.contains(v.trim().toLowerCase(Locale.ROOT));
    }
}

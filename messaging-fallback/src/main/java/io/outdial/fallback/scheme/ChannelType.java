package io.outdial.fallback.scheme;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of channel block. Each knows the statuses its channel can report, whether recipients can reply,
 * whether it carries IVR events, and which content keys a block of its kind needs. The channel itself is
 * plugged in through {@link io.outdial.fallback.channel.Channel}.
 */
public enum ChannelType {
    /** SMS (over SMPP). */
    SMS(EnumSet.of(Status.SENT, Status.DELIVERED, Status.UNDELIVERED, Status.EXPIRED, Status.REJECTED),
            true, false, List.of("text"), false),
    /** A call placed by the dialer under the campaign's attempt rules; its statuses are call outcomes. */
    VOICE(EnumSet.of(Status.ANSWERED, Status.NO_ANSWER, Status.BUSY, Status.CONGESTION, Status.MACHINE,
            Status.INVALID, Status.LEFT_EARLY, Status.UNSUBSCRIBED), false, true, List.of("flow"), false),
    /**
     * WhatsApp (Cloud API). A cascade writes first, outside the 24-hour customer-service window, so a block
     * needs an approved {@code template}; recipients need an opt-in ({@code no_consent} otherwise).
     */
    WHATSAPP(EnumSet.of(Status.SENT, Status.DELIVERED, Status.READ, Status.UNDELIVERED, Status.EXPIRED,
            Status.REJECTED, Status.UNSUBSCRIBED, Status.NO_CONSENT), true, false, List.of("template"), true),
    /** Viber. */
    VIBER(EnumSet.of(Status.SENT, Status.DELIVERED, Status.READ, Status.UNDELIVERED, Status.EXPIRED,
            Status.REJECTED, Status.UNSUBSCRIBED), true, false, List.of("text"), false),
    /** An HTTP call to a URL; delivered when the receiver answers 2xx. */
    WEBHOOK(EnumSet.of(Status.SENT, Status.DELIVERED, Status.UNDELIVERED), true, false, List.of("url"), false);

    private final Set<Status> statuses;
    private final boolean replies;
    private final boolean ivr;
    private final List<String> requiredContent;
    private final boolean optIn;

    ChannelType(Set<Status> statuses, boolean replies, boolean ivr, List<String> requiredContent, boolean optIn) {
        this.optIn = optIn;
        this.statuses = Set.copyOf(statuses);
        this.replies = replies;
        this.ivr = ivr;
        this.requiredContent = requiredContent;
    }

    /** Statuses this channel can report. */
    public Set<Status> statuses() {
        return statuses;
    }

    /** True when recipients can answer with a text. */
    public boolean replies() {
        return replies;
    }

    /** True when the channel reports IVR key presses and IVR {@code message} events. */
    public boolean ivr() {
        return ivr;
    }

    /**
     * True when a recipient must have opted in to this channel before anything is sent on it; a recipient
     * without consent is skipped with status {@code no_consent}.
     */
    public boolean requiresOptIn() {
        return optIn;
    }

    /** Content keys a block of this channel must have, non-blank. */
    public List<String> requiredContent() {
        return requiredContent;
    }

    /** The document spelling, e.g. {@code sms}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The channel for a document spelling, or null. */
    public static ChannelType fromJson(String s) {
        for (ChannelType t : values()) {
            if (t.json().equals(s)) {
                return t;
            }
        }
        return null;
    }
}

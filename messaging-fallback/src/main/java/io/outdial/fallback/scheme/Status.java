package io.outdial.fallback.scheme;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A status a channel reports for one message or call. In documents they are written in lower case
 * ({@code no_answer}). Which channel can report which is in {@link ChannelType#statuses()}.
 */
public enum Status {
    /** Accepted by the provider (SMSC, chat API, webhook receiver). */
    SENT,
    /** Delivered to the handset or app. */
    DELIVERED,
    /** Read by the recipient (chat channels). */
    READ,
    /** The provider gave up: the recipient cannot be reached. */
    UNDELIVERED,
    /** The validity period ran out before delivery. */
    EXPIRED,
    /** The provider refused the message. */
    REJECTED,
    /** The recipient asked not to be contacted again (chat unsubscribe, IVR unsubscribe). */
    UNSUBSCRIBED,
    /** Voice: the call was answered by a person. */
    ANSWERED,
    /** Voice: nobody answered after the attempt rules were spent. */
    NO_ANSWER,
    /** Voice: the line was busy. */
    BUSY,
    /** Voice: the network was congested. */
    CONGESTION,
    /** Voice: an answering machine picked up. */
    MACHINE,
    /** Voice: the number does not exist. */
    INVALID,
    /** Voice: answered, but the callee hung up before the flow ended. */
    LEFT_EARLY,
    /**
     * Nothing was sent: the channel requires the recipient's opt-in (WhatsApp) and the recipient has none. Set
     * by the engine before any send, not by a provider.
     */
    NO_CONSENT;

    /** The document spelling, e.g. {@code no_answer}. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for a status after which the message will not be delivered (refund on "pay for delivered"). */
    public boolean undelivered() {
        return this == UNDELIVERED || this == EXPIRED || this == REJECTED;
    }

    /** The status for a document spelling, or null. */
    public static Status fromJson(String s) {
        for (Status st : values()) {
            if (st.json().equals(s)) {
                return st;
            }
        }
        return null;
    }
}

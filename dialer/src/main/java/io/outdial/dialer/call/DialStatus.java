package io.outdial.dialer.call;

import java.util.Locale;

/**
 * The {@code dialstatus} of an ARI {@code Dial} event (Asterisk's {@code DIALSTATUS}), parsed once where the event
 * arrives so that the call's classification compares values, never text; outside the package only
 * {@link CallOutcome#chanUnavailable()} (for trunk health) is told.
 */
enum DialStatus {
    /** No dial status seen yet (or an empty one). */
    NONE,
    /** Still dialing: the far end rings. */
    RINGING,
    /** Still dialing: early media or progress. */
    PROGRESS,
    /** The far end answered. */
    ANSWER,
    /** The far end is busy. */
    BUSY,
    /** Nobody answered in time. */
    NOANSWER,
    /** The dial was cancelled (the caller hung up first). */
    CANCEL,
    /** The trunk or the network was congested. */
    CONGESTION,
    /** The channel could not be created or the peer was unreachable: the call never left. */
    CHANUNAVAIL,
    /** Refused by a privacy/screening rule. */
    DONTCALL,
    /** Sent to the torture menu by a privacy rule. */
    TORTURE,
    /** The dial had invalid arguments. */
    INVALIDARGS,
    /** A status this version does not know (kept as a status, not an error). */
    OTHER;

    /** The status of {@code text} (any case); {@link #NONE} for null or empty, {@link #OTHER} for unknown text. */
    static DialStatus parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (DialStatus s : values()) {
            if (s != NONE && s != OTHER && s.name().equals(upper)) {
                return s;
            }
        }
        return OTHER;
    }

    /** True while the call is still being set up (ringing or progress). */
    boolean ringing() {
        return this == RINGING || this == PROGRESS;
    }
}

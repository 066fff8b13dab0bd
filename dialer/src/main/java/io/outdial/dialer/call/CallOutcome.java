package io.outdial.dialer.call;

import io.outdial.ivr.spi.FlowResult;

/**
 * The final outcome of one call attempt.
 *
 * @param kind       what happened
 * @param cause      the Q.850 cause from ChannelDestroyed, 0 when unknown or not applicable
 * @param detail     a human-readable reason (the dial status, the cause text, the HTTP error); never null
 * @param flowResult what the IVR flow did, when a flow ran on the call; else null
 * @param chanUnavailable whether the call's last dial status was CHANUNAVAIL (whatever kind the cause made of
 *                   it): the channel could not be created, so the call never left (trunk health counts it); false
 *                   when no dial status was seen or it is unknown, e.g. for an outcome read back from the database
 */
public record CallOutcome(OutcomeKind kind, int cause, String detail, FlowResult flowResult,
                          boolean chanUnavailable) {
    public CallOutcome {
        if (kind == null) {
            throw new IllegalArgumentException("outcome kind must be set");
        }
        if (cause < 0) {
            throw new IllegalArgumentException("cause must be zero or a Q.850 cause, was " + cause);
        }
        detail = detail == null ? "" : detail;
    }

    /** Without a dial status. */
    public CallOutcome(OutcomeKind kind, int cause, String detail, FlowResult flowResult) {
        this(kind, cause, detail, flowResult, false);
    }

    /** An outcome without a flow result or dial status. */
    public static CallOutcome of(OutcomeKind kind, int cause, String detail) {
        return new CallOutcome(kind, cause, detail, null, false);
    }

    /** An outcome with the call's last dial status. */
    static CallOutcome of(OutcomeKind kind, int cause, DialStatus dialStatus, String detail) {
        return new CallOutcome(kind, cause, detail, null, dialStatus == DialStatus.CHANUNAVAIL);
    }

    /** This outcome with a flow result attached. */
    public CallOutcome withFlowResult(FlowResult result) {
        return new CallOutcome(kind, cause, detail, result, chanUnavailable);
    }

    /** This outcome with another kind (e.g. ANSWERED turned MACHINE by AMD). */
    public CallOutcome withKind(OutcomeKind newKind, String newDetail) {
        return new CallOutcome(newKind, cause, newDetail, flowResult, chanUnavailable);
    }
}

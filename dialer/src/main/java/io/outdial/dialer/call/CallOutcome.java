package io.outdial.dialer.call;

import io.outdial.ivr.spi.FlowResult;

/**
 * The final outcome of one call attempt.
 *
 * @param kind       what happened
 * @param cause      the Q.850 cause from ChannelDestroyed, 0 when unknown or not applicable
 * @param detail     a human-readable reason (the dial status, the cause text, the HTTP error); never null
 * @param flowResult what the IVR flow did, when a flow ran on the call; else null
 */
public record CallOutcome(OutcomeKind kind, int cause, String detail, FlowResult flowResult) {
    public CallOutcome {
        if (kind == null) {
            throw new IllegalArgumentException("outcome kind must be set");
        }
        if (cause < 0) {
            throw new IllegalArgumentException("cause must be zero or a Q.850 cause, was " + cause);
        }
        detail = detail == null ? "" : detail;
    }

    /** An outcome without a flow result. */
    public static CallOutcome of(OutcomeKind kind, int cause, String detail) {
        return new CallOutcome(kind, cause, detail, null);
    }

    /** This outcome with a flow result attached. */
    public CallOutcome withFlowResult(FlowResult result) {
        return new CallOutcome(kind, cause, detail, result);
    }

    /** This outcome with another kind (e.g. ANSWERED turned MACHINE by AMD). */
    public CallOutcome withKind(OutcomeKind newKind, String newDetail) {
        return new CallOutcome(newKind, cause, newDetail, flowResult);
    }
}

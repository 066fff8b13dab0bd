package io.outdial.dialer.attempt;

/**
 * The result of one call attempt as the attempt rules see it. The call engine's outcome is mapped onto
 * this; an answered call that ran its flow is {@link #ANSWERED_COMPLETED} (with the flow's result as an
 * optional key), {@link #ANSWERED_NO_GOAL} (the flow has goals and reached none) or {@link #LEFT_EARLY}.
 */
public enum AttemptOutcome {
    /** Rang out without answer. */
    NO_ANSWER,
    /** The callee was busy. */
    BUSY,
    /** Network congestion or channel unavailable. */
    CONGESTION,
    /** Originate or other technical failure. */
    FAILED,
    /** Answering machine detected. */
    MACHINE,
    /** Answered, but the callee hung up before the flow completed. */
    LEFT_EARLY,
    /** The attempt was lost (node crash, channel vanished); never redialed at once. */
    LOST,
    /** The number does not exist. */
    INVALID_NUMBER,
    /** The callee or network rejected the call. */
    REJECTED,
    /** Answered and the flow ran to its end: one of its goals was reached, or it has none (or no flow ran). */
    ANSWERED_COMPLETED,
    /**
     * Answered and the flow ran to its end without reaching any of its goals: nobody pressed a key (an answering
     * machine when AMD is off, a silent line) or the answers led to no goal. Not a success unless a rule says so.
     */
    ANSWERED_NO_GOAL
}

package io.outdial.dialer.call;

/** The final outcome of one call attempt; see docs/telephony.md for how each is decided. */
public enum OutcomeKind {
    /** The callee answered (StasisStart or answer seen); the flow result says what happened next. */
    ANSWERED,
    /** Answered by a machine: AMD said MACHINE and the engine treats such calls as machine. */
    MACHINE,
    /** Dial status BUSY, or Q.850 cause 17. */
    BUSY,
    /** Dial status NOANSWER, or cause 18/19/20 (e.g. the originate timeout). */
    NO_ANSWER,
    /** Dial status CONGESTION / CHANUNAVAIL, or cause 34/38/41/42 and friends. */
    CONGESTION,
    /** Cause 1/3/28 (and 2, 22): the number does not exist or is malformed. */
    INVALID_NUMBER,
    /** Cause 21: the call was rejected. */
    REJECTED,
    /** The originate failed (HTTP error, ARI not connected) or no fact explains the end. */
    FAILED,
    /**
     * The call's fate is unknown: its channel vanished while we were not listening (reconcile, crash), Asterisk cut
     * an answered call with cause 0 (it shut down), or the flow of an answered call died with a dialer restart.
     */
    LOST,
    /**
     * No call left: Asterisk refused the originate because it is shutting down (HTTP 503). Not an attempt: the
     * contact waits again and no attempt cap is used up.
     */
    NOT_PLACED
}

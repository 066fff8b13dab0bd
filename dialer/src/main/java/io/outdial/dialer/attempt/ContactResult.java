package io.outdial.dialer.attempt;

/** How a contact's dialing ended. */
public enum ContactResult {
    /** Reached with success (goal of the flow). */
    SUCCESS,
    /** Closed without success by a rule (rejected, flow said no, ...). */
    FAILURE,
    /** A per-outcome maximum or the total attempt cap was reached. */
    EXHAUSTED,
    /** No dialable number is left. */
    NO_VALID_NUMBER,
    /** The calendar has no opening left (end date passed) for a retry. */
    NO_WINDOW,
    /** The number is on the stop-list (set at import or pick time, never by a rule). */
    STOP_LISTED
}

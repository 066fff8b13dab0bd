package io.outdial.fallback.store;

/** Counters kept per scheme and block. */
public enum Counter {
    /** Runs that entered the block (for a split, also per branch). */
    ENTERED,
    /** Messages the provider accepted. */
    SENT,
    /** Messages delivered. */
    DELIVERED,
    /** Messages read. */
    READ,
    /** Replies received. */
    REPLIED,
    /** Goal blocks reached. */
    GOAL_REACHED,
    /** Sends that failed and messages not delivered. */
    FAILED,
    /** Runs cancelled while at the block. */
    CANCELLED,
    /** Runs stopped at the block because the recipient is stop-listed. */
    STOPPED,
    /** Runs at the block now (a gauge). */
    RUNNING,
    /** Runs waiting at the block now for an event or a timer (a gauge). */
    WAITING
}

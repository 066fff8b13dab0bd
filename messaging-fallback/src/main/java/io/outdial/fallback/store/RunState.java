package io.outdial.fallback.store;

/** Where a run is. RUNNING and WAITING are active; the rest are final. */
public enum RunState {
    /** Acting on a block (sending, or between blocks). */
    RUNNING,
    /** Waiting for a channel event or a timer. */
    WAITING,
    /** Reached an end block, or a block with no way out. */
    DONE,
    /** A send failed with no error link. */
    FAILED,
    /** Cancelled by a user. */
    CANCELLED,
    /** Stopped because the recipient is on the stop-list. */
    STOPPED;

    /** True for RUNNING and WAITING. */
    public boolean active() {
        return this == RUNNING || this == WAITING;
    }
}

package io.outdial.fallback.store;

import java.time.Instant;

/**
 * A durable timer: the end of a step's decision time or delay.
 *
 * @param runId the run
 * @param step  the step it ends
 * @param kind  DECISION or DELAY
 * @param due   when it fires
 */
public record Timer(String runId, int step, Kind kind, Instant due) {

    /** The id: one timer per step. */
    public String id() {
        return runId + "/" + step;
    }

    /** What a timer ends. */
    public enum Kind {
        /** A channel block's decision time. */
        DECISION,
        /** A delay block. */
        DELAY
    }
}

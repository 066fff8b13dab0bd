package io.outdial.fallback.store;

import java.time.Instant;

/**
 * One visit of a run to a block. Written before the block acts, so a restarted engine knows what was done.
 *
 * @param runId     the run
 * @param seq       step number in the run, from 1
 * @param blockId   the block
 * @param state     ENTERED, SENDING, WAITING or DONE
 * @param enteredAt when the run entered the block
 * @param deadline  when the wait ends (decision time from the real send, or the delay), or null
 * @param messageId the message a channel block sent, or null
 * @param outcome   what moved the run on ({@code status delivered}, {@code timeout}...), or null
 * @param next      the block taken next, or null
 */
public record Step(String runId, int seq, String blockId, StepState state, Instant enteredAt, Instant deadline,
                   String messageId, String outcome, String next) {

    /** This step in a new state. */
    public Step with(StepState st, Instant newDeadline, String message) {
        return new Step(runId, seq, blockId, st, enteredAt, newDeadline, message, outcome, next);
    }

    /** This step left by an outcome towards a block (or none). */
    public Step done(String why, String nextBlock) {
        return new Step(runId, seq, blockId, StepState.DONE, enteredAt, deadline, messageId, why, nextBlock);
    }

    /** The states of a step. */
    public enum StepState {
        /** Written; the block has not acted yet. */
        ENTERED,
        /** The message row exists; the submit is under way. */
        SENDING,
        /** Waiting for an event or the deadline. */
        WAITING,
        /** Left. */
        DONE
    }
}

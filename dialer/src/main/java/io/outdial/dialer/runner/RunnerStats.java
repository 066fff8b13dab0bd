package io.outdial.dialer.runner;

import io.outdial.dialer.attempt.AttemptOutcome;
import java.util.EnumMap;
import java.util.Map;

/** Attempt counters of one runner since it started; readable from any thread. */
public final class RunnerStats {
    private final Map<AttemptOutcome, Integer> outcomes = new EnumMap<>(AttemptOutcome.class);
    private final long startedNanos = System.nanoTime();
    private int started;
    private int ended;
    private int closed;
    private int maxConcurrent;

    synchronized void started(int liveCalls) {
        started++;
        maxConcurrent = Math.max(maxConcurrent, liveCalls);
    }

    synchronized void ended(AttemptOutcome o, boolean closedContact) {
        ended++;
        closed += closedContact ? 1 : 0;
        outcomes.merge(o, 1, Integer::sum);
    }

    /** Attempts originated. */
    public synchronized int started() {
        return started;
    }

    /** Attempts with a stored final outcome. */
    public synchronized int ended() {
        return ended;
    }

    /** Attempts originated and not ended yet (one consistent read of both counters). */
    public synchronized int live() {
        return started - ended;
    }

    /** Contacts closed by an attempt's outcome. */
    public synchronized int closed() {
        return closed;
    }

    /** The most calls live in the engine seen at an originate. */
    public synchronized int maxConcurrent() {
        return maxConcurrent;
    }

    public synchronized Map<AttemptOutcome, Integer> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** Ended attempts per real second since the runner started. */
    public synchronized double attemptsPerSecond() {
        double s = (System.nanoTime() - startedNanos) / 1e9;
        return s <= 0 ? 0 : ended / s;
    }

    @Override
    public synchronized String toString() {
        return "started " + started + ", ended " + ended + ", closed " + closed + ", max live " + maxConcurrent
                + ", " + outcomes;
    }
}

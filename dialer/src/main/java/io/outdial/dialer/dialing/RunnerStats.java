package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.AttemptOutcome;
import java.util.EnumMap;
import java.util.Map;

/** Attempt counters of one runner since it started; readable from any thread. */
final class RunnerStats {
    private final Map<AttemptOutcome, Integer> outcomes = new EnumMap<>(AttemptOutcome.class);
    private final long startedNanos = System.nanoTime();
    private int started;
    private int callsEnded;
    private int ended;
    private int closed;
    private int maxConcurrent;

    synchronized void started(int liveCalls) {
        started++;
        maxConcurrent = Math.max(maxConcurrent, liveCalls);
    }

    /** A call ended (its line released); its outcome may still be being stored. */
    synchronized void callEnded() {
        callsEnded++;
    }

    /** A started call that was never placed (withdrawn before it was sent, refused by Asterisk): no attempt. */
    synchronized void notPlaced() {
        started--;
        callsEnded--;
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

    /** Calls originated and not ended yet (one consistent read of both counters); an ended call counts no more. */
    public synchronized int live() {
        return Math.max(0, started - callsEnded);
    }

    /** Calls ended whose outcome is not stored yet. */
    public synchronized int storing() {
        return Math.max(0, Math.min(started, callsEnded) - ended);
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

package io.outdial.dialer.telephony;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The call-result breaker of one trunk on one server. CLOSED counts consecutive failed calls; {@code threshold} of
 * them with no call reaching the far end in between OPEN it for {@code openFor}; then it is HALF_OPEN: calls go
 * again, the first call reaching the far end closes it and the first failure opens it again at once.
 * Thread-safe (synchronized), free of I/O, timed by the instants it is given.
 */
final class CircuitBreaker {
    /** The breaker's states. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration openFor;
    private int failures;
    private boolean tripped;
    private Instant openUntil;
    private String lastFailure = "";

    /** A closed breaker. */
    public CircuitBreaker(int threshold, Duration openFor) {
        if (threshold < 1 || openFor == null || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("breaker needs threshold >= 1 and a positive open time");
        }
        this.threshold = threshold;
        this.openFor = openFor;
    }

    /** A call reached the far end (answered, busy, no answer, ...): the breaker closes. */
    public synchronized void success() {
        failures = 0;
        tripped = false;
        openUntil = null;
    }

    /** A call failed on the trunk (CHANUNAVAIL, CONGESTION, originate error); {@code why} names it. */
    public synchronized void failure(Instant now, String why) {
        failures++;
        lastFailure = why == null ? "" : why;
        boolean halfOpen = tripped && openUntil != null && !now.isBefore(openUntil);
        if (halfOpen || failures >= threshold) {
            tripped = true;
            openUntil = now.plus(openFor);
        }
    }

    /** The state at {@code now}. */
    public synchronized State state(Instant now) {
        if (!tripped) {
            return State.CLOSED;
        }
        return now.isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
    }

    /** Why calls must not go now (OPEN), or empty (CLOSED, HALF_OPEN). */
    public synchronized Optional<String> down(Instant now) {
        if (state(now) != State.OPEN) {
            return Optional.empty();
        }
        return Optional.of(failures + " consecutive calls failed (last: " + lastFailure + "); calls are tried again at "
                + openUntil);
    }

    /** Consecutive failures counted since the last success. */
    public synchronized int failures() {
        return failures;
    }
}

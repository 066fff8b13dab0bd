package io.outdial.dialer.pacing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Grants call starts under per-second and per-minute limits at several levels at once (all or nothing).
 * Sliding windows: no 1-second or 60-second window, aligned or not, holds more starts than the limit.
 */
public interface RateLimiter {

    /** The answer to one request. */
    record Decision(boolean granted, Optional<LimitKey> blockedBy, Instant retryAt) {
        static Decision grant(Instant now) {
            return new Decision(true, Optional.empty(), now);
        }
    }

    /** Takes one token at every level, or none and says which level blocked and when to retry. */
    Decision tryAcquire(List<LimitKey> levels, Instant now);

    /**
     * {@link #tryAcquire} without blocking the calling thread; the answer is given on {@code caller} (the thread that
     * sends the start, e.g. an event loop). The limits hold as in {@link #tryAcquire}.
     */
    default CompletionStage<Decision> acquire(List<LimitKey> levels, Instant now, Executor caller) {
        return CompletableFuture.completedFuture(tryAcquire(levels, now));
    }

    /**
     * Gives back a token granted at {@code at} that was never used (its request did not leave): its start is taken
     * out of every level's windows, so the room it held is free again. Must not block.
     */
    void giveBack(List<LimitKey> levels, Instant at);

    /**
     * How many tokens every level could grant at {@code now} without taking any: the smallest room left in any of
     * their windows ({@link Integer#MAX_VALUE} when none is limited). When it is 0, {@code blockedBy} names the
     * level and {@code retryAt} is when room frees up.
     */
    Room room(List<LimitKey> levels, Instant now);

    /** The answer to {@link #room}. */
    record Room(int free, Optional<LimitKey> blockedBy, Instant retryAt) { }
}

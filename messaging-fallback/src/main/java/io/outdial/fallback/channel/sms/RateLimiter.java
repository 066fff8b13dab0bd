package io.outdial.fallback.channel.sms;

import java.util.concurrent.locks.LockSupport;

/** Spaces out calls to at most N per second. Blocks the calling worker thread until its turn. */
final class RateLimiter {

    private final long intervalNanos;
    private long nextFree = System.nanoTime();

    RateLimiter(int perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
    }

    void acquire() {
        if (intervalNanos == 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextFree);
            nextFree = slot + intervalNanos;
            wait = slot - now;
        }
        while (wait > 0) {
            long start = System.nanoTime();
            LockSupport.parkNanos(wait);
            wait -= System.nanoTime() - start;
        }
    }
}

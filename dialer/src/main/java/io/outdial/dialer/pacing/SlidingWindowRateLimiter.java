package io.outdial.dialer.pacing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * In-memory sliding-log {@link RateLimiter}: a start is granted when every level has fewer than its limit
 * in the window {@code (now - W, now]}, which bounds every window of length W. Memory per level is the
 * per-minute limit. Times are expected not to go backwards; an earlier {@code now} is treated as the latest.
 */
public final class SlidingWindowRateLimiter implements RateLimiter {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private volatile RateLimits limits;
    private final Map<LimitKey, ArrayDeque<Instant>> logs = new HashMap<>();
    private Instant latest = Instant.MIN;

    public SlidingWindowRateLimiter(RateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public void setLimits(RateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public synchronized Decision tryAcquire(List<LimitKey> levels, Instant now) {
        if (now.isBefore(latest)) {
            now = latest;
        }
        latest = now;
        RateLimits l = limits;
        for (LimitKey k : levels) {
            RateLimit limit = l.limit(k);
            ArrayDeque<Instant> log = logs.computeIfAbsent(k, x -> new ArrayDeque<>());
            while (!log.isEmpty() && !log.peekFirst().isAfter(now.minus(MINUTE))) {
                log.pollFirst();
            }
            Optional<Instant> wait = blocked(log, limit.perSecond(), SECOND, now);
            if (wait.isEmpty()) {
                wait = blocked(log, limit.perMinute(), MINUTE, now);
            }
            if (wait.isPresent()) {
                return new Decision(false, Optional.of(k), wait.get());
            }
        }
        for (LimitKey k : levels) {
            logs.get(k).addLast(now);
        }
        return Decision.grant(now);
    }

    /** When the window has room again, or empty if it has room now. */
    private static Optional<Instant> blocked(ArrayDeque<Instant> log, int max, Duration window, Instant now) {
        if (max == 0) {
            return Optional.empty();
        }
        Instant from = now.minus(window);
        int count = 0;
        Instant nth = null;
        // walk newest to oldest: the max-th newest start in the window decides when room frees up
        var it = log.descendingIterator();
        while (it.hasNext()) {
            Instant t = it.next();
            if (!t.isAfter(from)) {
                break;
            }
            count++;
            if (count == max) {
                nth = t;
                break;
            }
        }
        return count >= max ? Optional.of(nth.plus(window)) : Optional.empty();
    }
}

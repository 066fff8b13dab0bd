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
 * In-memory sliding-log {@link RateLimiter}: a start is granted when every level has fewer starts than its
 * limit in the window {@code (now - W, now]}, which bounds every window of length W, aligned or not. Each
 * limited window keeps the times of its last starts (at most the limit), so a check is O(1) amortised and
 * memory is bounded by the limits. Times are expected not to go backwards; an earlier {@code now} counts as
 * the latest seen. A window that becomes limited by {@link #setLimits} starts counting from then.
 *
 * <p>The limiter that paces originate requests as they leave ({@link #atSend}) also caps their bursts: within any
 * tenth of a window (102 ms) at most {@link #BURST} starts of a level leave, or a tenth of its per-second limit when
 * that is more. A second's worth of hundreds of requests sent at once reaches the carrier spread over tens of
 * milliseconds, and the next second's, sent just over a window later, would then land partly in the same second as
 * the carrier counts it.
 */
public final class SlidingWindowRateLimiter implements LimitedRates {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** The parts of a window a burst is counted over ({@link #atSend}). */
    static final int SLICES = 10;
    /** The most starts of a level in one part of a window ({@link #atSend}), unless a tenth of its limit is more. */
    static final int BURST = 40;

    /**
     * How much longer than its length a window is held when the limiter paces the originate requests as they leave:
     * the network and the PBX's own queue move each request by a few milliseconds, and this margin keeps two that
     * left just over a window apart from landing inside one window at the carrier.
     */
    public static final Duration SEND_GUARD = Duration.ofMillis(20);

    private volatile RateLimits limits;
    private final Map<LimitKey, Window> seconds = new HashMap<>();
    private final Map<LimitKey, Window> minutes = new HashMap<>();
    private final Map<LimitKey, Window> slices = new HashMap<>();
    private final Duration second;
    private final Duration minute;
    /** A tenth of the 1 s window, over which bursts are capped; null when they are not. */
    private final Duration slice;
    private Instant latest = Instant.MIN;

    public SlidingWindowRateLimiter(RateLimits limits) {
        this(limits, Duration.ZERO, false);
    }

    private SlidingWindowRateLimiter(RateLimits limits, Duration guard, boolean capBursts) {
        this.limits = Objects.requireNonNull(limits, "limits");
        if (guard.isNegative()) {
            throw new IllegalArgumentException("guard " + guard + " must be zero or more");
        }
        this.second = SECOND.plus(guard);
        this.minute = MINUTE.plus(guard);
        this.slice = capBursts ? second.dividedBy(SLICES) : null;
    }

    /**
     * The limiter of originate requests as they leave: windows held {@link #SEND_GUARD} longer than 1 s and 60 s,
     * and bursts capped (see above).
     */
    public static SlidingWindowRateLimiter atSend(RateLimits limits) {
        return new SlidingWindowRateLimiter(limits, SEND_GUARD, true);
    }

    /**
     * The most starts of a level with {@code perSecond} in one tenth of a window: {@link #BURST}, or a tenth of the
     * limit (rounded up) when that is more; 0 (no cap) when the limit is at most {@link #BURST}.
     */
    static int perSlice(int perSecond) {
        return perSecond <= BURST ? 0 : Math.max(BURST, (perSecond + SLICES - 1) / SLICES);
    }

    @Override
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
            Optional<Instant> wait = window(seconds, k, second).blockedUntil(limit.perSecond(), now);
            if (wait.isEmpty() && slice != null) {
                wait = window(slices, k, slice).blockedUntil(perSlice(limit.perSecond()), now);
            }
            if (wait.isEmpty()) {
                wait = window(minutes, k, minute).blockedUntil(limit.perMinute(), now);
            }
            if (wait.isPresent()) {
                return new Decision(false, Optional.of(k), wait.get());
            }
        }
        for (LimitKey k : levels) {
            RateLimit limit = l.limit(k);
            if (limit.perSecond() > 0) {
                seconds.get(k).add(now);
                if (slice != null && perSlice(limit.perSecond()) > 0) {
                    slices.get(k).add(now);
                }
            }
            if (limit.perMinute() > 0) {
                minutes.get(k).add(now);
            }
        }
        return Decision.grant(now);
    }

    @Override
    public synchronized void giveBack(List<LimitKey> levels, Instant at) {
        for (LimitKey k : levels) {
            for (Map<LimitKey, Window> windows : List.of(seconds, slices, minutes)) {
                Window w = windows.get(k);
                if (w != null) {
                    w.remove(at);
                }
            }
        }
    }

    @Override
    public synchronized Room room(List<LimitKey> levels, Instant now) {
        if (now.isBefore(latest)) {
            now = latest;
        }
        RateLimits l = limits;
        int free = Integer.MAX_VALUE;
        LimitKey blocked = null;
        Instant retryAt = now;
        for (LimitKey k : levels) {
            RateLimit limit = l.limit(k);
            int[] maxes = {limit.perSecond(), limit.perMinute()};
            Window[] windows = {window(seconds, k, second), window(minutes, k, minute)};
            for (int i = 0; i < 2; i++) {
                Optional<Instant> wait = windows[i].blockedUntil(maxes[i], now);
                if (maxes[i] == 0) {
                    continue;
                }
                int room = maxes[i] - windows[i].size();
                if (room < free) {
                    free = Math.max(0, room);
                }
                if (wait.isPresent() && (blocked == null || wait.get().isAfter(retryAt))) {
                    blocked = k;
                    retryAt = wait.get();
                }
            }
        }
        return new Room(free, Optional.ofNullable(blocked), retryAt);
    }

    private static Window window(Map<LimitKey, Window> map, LimitKey k, Duration length) {
        return map.computeIfAbsent(k, x -> new Window(length));
    }

    /** Start times inside one window length, oldest first. */
    private static final class Window {
        private final Duration length;
        private final ArrayDeque<Instant> starts = new ArrayDeque<>();

        Window(Duration length) {
            this.length = length;
        }

        /** Empty when there is room for one more start at {@code now}, else when room frees up. */
        Optional<Instant> blockedUntil(int max, Instant now) {
            Instant from = now.minus(length);
            while (!starts.isEmpty() && !starts.peekFirst().isAfter(from)) {
                starts.pollFirst();
            }
            if (max == 0) {
                starts.clear();
                return Optional.empty();
            }
            while (starts.size() > max) {
                starts.pollFirst(); // the limit was lowered: only the newest max starts matter
            }
            return starts.size() < max ? Optional.empty() : Optional.of(starts.peekFirst().plus(length));
        }

        void add(Instant t) {
            starts.addLast(t);
        }

        void remove(Instant t) {
            starts.removeLastOccurrence(t);
        }

        int size() {
            return starts.size();
        }
    }
}

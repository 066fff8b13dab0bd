package io.outdial.dialer.cluster;

import com.hazelcast.map.IMap;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LimitedRates;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.pacing.SlidingWindowRateLimiter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Rate limits shared by every node: one sliding window (the starts of the last second and minute) per limited
 * level in the {@link #MAP} IMap, changed by {@link RateProcessor} entry processors on the level's partition, so
 * no 1-second or 60-second window holds more starts than the limit whichever nodes made them. A start takes a
 * token level by level; a refusal gives back the ones taken. Windows are held {@link
 * SlidingWindowRateLimiter#SEND_GUARD} longer, as in a node alone. {@link #room} answers from the counts last
 * seen (refreshed every {@link ClusterNode#TICK_MS}; it only sizes the next pick); {@link #tryAcquire} is the
 * blocking cluster call that counts (worker threads only); an event loop asks with {@link #acquire}, the same call
 * made on the node's cluster call threads ({@link ClusterNode#calls()}) and answered on the asking thread.
 * Times are the callers' clocks, so the nodes' clocks should agree (NTP).
 */
final class ClusterRateLimiter implements LimitedRates {
    /** The IMap of rate windows: level key → {@link RateWindow}. */
    public static final String MAP = "outdial-rates";

    private final ClusterNode node;
    private final long secondMs = 1000 + SlidingWindowRateLimiter.SEND_GUARD.toMillis();
    private final long minuteMs = 60_000 + SlidingWindowRateLimiter.SEND_GUARD.toMillis();
    private volatile RateLimits limits;
    /** The last windows seen per level, in brief: {@link RateWindow#snapshot()}. */
    private final Map<LimitKey, long[]> seen = new ConcurrentHashMap<>();

    public ClusterRateLimiter(ClusterNode node, RateLimits limits) {
        this.node = Objects.requireNonNull(node, "node");
        this.limits = Objects.requireNonNull(limits, "limits");
        node.onTick(this::refresh);
    }

    private IMap<String, RateWindow> map() {
        return node.hazelcast().getMap(MAP);
    }

    @Override
    public void setLimits(RateLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * A token is stamped with the time its request leaves: when the cluster answered later than this (a slow call,
     * a partition moving after a member died), the token is given back and taken again at the new time.
     */
    static final long STALE_MS = 10;
    private static final int TRIES = 5;

    @Override
    public Decision tryAcquire(List<LimitKey> levels, Instant now) {
        Instant at = now;
        for (int i = 0; i < TRIES; i++) {
            long t0 = System.nanoTime();
            Decision d = take(levels, at);
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            if (!d.granted() || tookMs <= STALE_MS) {
                return d;
            }
            untake(levels, at.toEpochMilli());
            at = at.plusMillis(tookMs);
        }
        // the cluster answers too slowly for a token to be stamped right: ask again a moment later
        return new Decision(false, levels.stream().filter(k -> limited(k)).findFirst(), at.plusMillis(STALE_MS));
    }

    /**
     * {@link #tryAcquire} on the node's cluster call threads, answered on {@code caller}; the check that the answer
     * came in time ({@link #STALE_MS}) is made there, around the cluster calls, as in {@link #tryAcquire}.
     */
    @Override
    public CompletionStage<Decision> acquire(List<LimitKey> levels, Instant now, Executor caller) {
        if (levels.stream().noneMatch(this::limited)) {
            return CompletableFuture.completedFuture(new Decision(true, Optional.empty(), now));
        }
        long asked = System.nanoTime();
        // stamped when the cluster call starts: the time it waited for a call thread has passed meanwhile
        return CompletableFuture.supplyAsync(() -> tryAcquire(levels,
                now.plusMillis((System.nanoTime() - asked) / 1_000_000)), node.calls())
            .whenCompleteAsync((d, err) -> { }, caller);
    }

    @Override
    public void giveBack(List<LimitKey> levels, Instant at) {
        try {
            CompletableFuture.runAsync(() -> untake(levels, at.toEpochMilli()), node.calls());
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node is leaving the cluster: the token stays counted until its window passes (room unused)
        }
    }

    private boolean limited(LimitKey k) {
        RateLimit limit = limits.limit(k);
        return limit.perSecond() > 0 || limit.perMinute() > 0;
    }

    private void untake(List<LimitKey> levels, long t) {
        IMap<String, RateWindow> map = map();
        for (LimitKey k : levels) {
            if (limited(k)) {
                map.executeOnKey(ClusterLineLeases.key(k), new RateProcessor(RateProcessor.Op.UNTAKE, 0, 0, t,
                    secondMs, minuteMs));
            }
        }
    }

    private Decision take(List<LimitKey> levels, Instant now) {
        RateLimits l = limits;
        long t = now.toEpochMilli();
        List<LimitKey> taken = new ArrayList<>(levels.size());
        IMap<String, RateWindow> map = map();
        for (LimitKey k : levels) {
            RateLimit limit = l.limit(k);
            if (limit.perSecond() == 0 && limit.perMinute() == 0) {
                continue;
            }
            long[] answer = map.executeOnKey(ClusterLineLeases.key(k), new RateProcessor(RateProcessor.Op.TAKE,
                limit.perSecond(), limit.perMinute(), t, secondMs, minuteMs));
            seen.put(k, snapshotOf(answer));
            if (answer[0] != 0) {
                for (LimitKey back : taken) {
                    map.executeOnKey(ClusterLineLeases.key(back), new RateProcessor(RateProcessor.Op.UNTAKE, 0, 0, t,
                        secondMs, minuteMs));
                }
                return new Decision(false, Optional.of(k), Instant.ofEpochMilli(answer[0]));
            }
            taken.add(k);
        }
        return new Decision(true, Optional.empty(), now);
    }

    private static long[] snapshotOf(long[] answer) {
        long[] s = new long[answer.length - 1];
        System.arraycopy(answer, 1, s, 0, s.length);
        return s;
    }

    @Override
    public Room room(List<LimitKey> levels, Instant now) {
        RateLimits l = limits;
        long t = now.toEpochMilli();
        int free = Integer.MAX_VALUE;
        LimitKey blocked = null;
        long retryAt = t;
        for (LimitKey k : levels) {
            RateLimit limit = l.limit(k);
            if (limit.perSecond() == 0 && limit.perMinute() == 0) {
                continue;
            }
            long[] snap = seen.computeIfAbsent(k, x -> new long[] {0, 0, 0, 0});
            int[] maxes = {limit.perSecond(), limit.perMinute()};
            long[] lengths = {secondMs, minuteMs};
            for (int i = 0; i < 2; i++) {
                if (maxes[i] == 0) {
                    continue;
                }
                long count = snap[2 * i];
                long oldest = snap[2 * i + 1];
                // the oldest start seen has left the window since: at least one start is free again
                int room = count > 0 && oldest + lengths[i] <= t ? Math.max(1, (int) (maxes[i] - count))
                    : (int) Math.max(0, maxes[i] - count);
                free = Math.min(free, room);
                if (room == 0 && (blocked == null || oldest + lengths[i] > retryAt)) {
                    blocked = k;
                    retryAt = oldest + lengths[i];
                }
            }
        }
        return new Room(free, Optional.ofNullable(blocked), Instant.ofEpochMilli(retryAt));
    }

    /** Re-reads the windows of the levels this node used. */
    private void refresh() {
        IMap<String, RateWindow> map = map();
        for (LimitKey k : List.copyOf(seen.keySet())) {
            seen.put(k, snapshotOf(map.executeOnKey(ClusterLineLeases.key(k), new RateProcessor(RateProcessor.Op.READ,
                0, 0, node.now(), secondMs, minuteMs))));
        }
    }
}

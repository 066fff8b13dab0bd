package io.outdial.dialer.pacing;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** In-memory {@link LineLeases} for a single node: all levels change together under one lock. */
final class LocalLineLeases implements LimitedLines {
    private final Clock clock;
    private volatile LineLimits limits;
    private final Map<LimitKey, Integer> inUse = new HashMap<>();
    private final Map<String, Lease> held = new HashMap<>();

    public LocalLineLeases(LineLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Replaces the limits; lowering a limit never cuts calls, it only stops new leases until below it. */
    @Override
    public void setLimits(LineLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String campaign, String trunk) {
        List<LimitKey> keys = LimitKey.levelsFor(campaign, trunk);
        LineLimits l = limits;
        for (LimitKey k : keys) {
            if (inUse.getOrDefault(k, 0) >= l.max(k)) {
                return Optional.empty();
            }
        }
        keys.forEach(k -> inUse.merge(k, 1, Integer::sum));
        Lease lease = new Lease(UUID.randomUUID().toString(), campaign, trunk, clock.instant());
        held.put(lease.id(), lease);
        return Optional.of(lease);
    }

    @Override
    public synchronized Lease adopt(String campaign, String trunk) {
        LimitKey.levelsFor(campaign, trunk).forEach(k -> inUse.merge(k, 1, Integer::sum));
        Lease lease = new Lease(UUID.randomUUID().toString(), campaign, trunk, clock.instant());
        held.put(lease.id(), lease);
        return lease;
    }

    @Override
    public synchronized void release(Lease lease) {
        if (held.remove(lease.id()) == null) {
            return;
        }
        for (LimitKey k : LimitKey.levelsFor(lease.campaign(), lease.trunk())) {
            inUse.computeIfPresent(k, (key, n) -> n <= 1 ? null : n - 1);
        }
    }

    @Override
    public synchronized LineUsage usage(LimitKey key) {
        return new LineUsage(key, inUse.getOrDefault(key, 0), limits.max(key));
    }

    /** Leases currently held. */
    public synchronized int held() {
        return held.size();
    }
}

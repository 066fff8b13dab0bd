package io.outdial.dialer.cluster;

import com.hazelcast.map.IMap;
import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LimitedLines;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.LineUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Line leases shared by every node of the cluster: one {@link LeaseSet} per limit level (global, each trunk, each
 * campaign) in the {@link #MAP} IMap, changed only by {@link LeaseProcessor} entry processors on the level's
 * partition, so two nodes never both take the last line. A call's lease is one entry at each of its three levels,
 * taken level by level (global, trunk, campaign); when a level is full the levels already taken are given back, so
 * a refused call holds nothing (in between, other nodes may see one line more in use than there is: they wait,
 * never exceed). Every entry expires {@code cluster.leaseTtl} after its node's last heartbeat, so a killed node's
 * lines are free again within the TTL. Usage ({@link #usage}) is the last count seen, refreshed every
 * {@link ClusterNode#TICK_MS}; a drop seen there (a line freed by another node) wakes the waiting campaigns.
 *
 * <p>{@link #tryAcquire} and {@link #adopt} are blocking cluster calls (one entry processor per level, worker
 * threads only). An event loop asks with {@link #acquire} and {@link #adoptLive}: the same calls made on the node's
 * cluster call threads ({@link ClusterNode#calls()}), the answer given as a future. Releases are sent from those
 * threads too, without the releasing thread waiting.
 */
final class ClusterLineLeases implements LimitedLines {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLineLeases.class);

    /** The IMap of line leases: level key ({@code global}, {@code trunk:<id>}, {@code campaign:<id>}) → leases. */
    public static final String MAP = "outdial-lines";

    private final ClusterNode node;
    private volatile LineLimits limits;
    private final Map<LimitKey, Integer> counts = new ConcurrentHashMap<>();
    private final Map<LimitKey, AtomicInteger> mine = new ConcurrentHashMap<>();
    private final Map<String, Lease> held = new ConcurrentHashMap<>();
    private final List<Runnable> freed = new CopyOnWriteArrayList<>();

    public ClusterLineLeases(ClusterNode node, LineLimits limits) {
        this.node = Objects.requireNonNull(node, "node");
        this.limits = Objects.requireNonNull(limits, "limits");
        counts.put(LimitKey.GLOBAL, 0);
        node.onHeartbeat(this::renew);
        node.onTick(this::refresh);
    }

    private IMap<String, LeaseSet> map() {
        return node.hazelcast().getMap(MAP);
    }

    static String key(LimitKey k) {
        return k.level() == LimitKey.Level.GLOBAL ? "global" : k.level().name().toLowerCase() + ":" + k.id();
    }

    @Override
    public void setLimits(LineLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public void onFreedElsewhere(Runnable listener) {
        freed.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Optional<Lease> tryAcquire(String campaign, String trunk) {
        return Optional.ofNullable(take(campaign, trunk, false));
    }

    @Override
    public Lease adopt(String campaign, String trunk) {
        return take(campaign, trunk, true);
    }

    @Override
    public CompletionStage<Optional<Lease>> acquire(String campaign, String trunk) {
        return CompletableFuture.supplyAsync(() -> tryAcquire(campaign, trunk), node.calls());
    }

    @Override
    public CompletionStage<Lease> adoptLive(String campaign, String trunk) {
        return CompletableFuture.supplyAsync(() -> adopt(campaign, trunk), node.calls());
    }

    private Lease take(String campaign, String trunk, boolean adopt) {
        String id = UUID.randomUUID().toString();
        String me = node.memberId();
        LineLimits l = limits;
        List<LimitKey> taken = new ArrayList<>(3);
        IMap<String, LeaseSet> map = map();
        for (LimitKey k : LimitKey.levelsFor(campaign, trunk)) {
            int answer = map.executeOnKey(key(k), new LeaseProcessor(adopt ? LeaseProcessor.Op.ADOPT
                : LeaseProcessor.Op.ACQUIRE, id, me, l.max(k), node.now(), node.ttlMillis()));
            if (answer < 0) {
                counts.put(k, -answer - 1);
                for (LimitKey t : taken) {
                    map.executeOnKey(key(t), new LeaseProcessor(LeaseProcessor.Op.RELEASE, id, me, 0, node.now(), 0));
                    mine(t).decrementAndGet();
                    counts.computeIfPresent(t, (x, n) -> Math.max(0, n - 1));
                }
                return null;
            }
            counts.put(k, answer);
            mine(k).incrementAndGet();
            taken.add(k);
        }
        Lease lease = new Lease(id, campaign, trunk, Instant.ofEpochMilli(node.now()));
        held.put(id, lease);
        return lease;
    }

    private AtomicInteger mine(LimitKey k) {
        return mine.computeIfAbsent(k, x -> new AtomicInteger());
    }

    @Override
    public void release(Lease lease) {
        if (held.remove(lease.id()) == null) {
            return;
        }
        String me = node.memberId();
        IMap<String, LeaseSet> map;
        try {
            map = map();
        } catch (IllegalStateException stopped) {
            return; // the member stopped: its leases expire by themselves
        }
        List<LimitKey> levels = LimitKey.levelsFor(lease.campaign(), lease.trunk());
        for (LimitKey k : levels) {
            mine(k).decrementAndGet();
            counts.computeIfPresent(k, (x, n) -> Math.max(0, n - 1));
        }
        node.calls().execute(() -> {
            for (LimitKey k : levels) {
                try {
                    map.executeOnKey(key(k), new LeaseProcessor(LeaseProcessor.Op.RELEASE, lease.id(), me, 0,
                        node.now(), 0));
                } catch (RuntimeException e) {
                    LOG.warn("cluster: releasing line lease {} at {} failed ({}); it expires by itself", lease.id(),
                        k, e.toString());
                }
            }
        });
    }

    @Override
    public LineUsage usage(LimitKey key) {
        counts.putIfAbsent(key, 0); // followed from now on by the refresh
        return new LineUsage(key, counts.getOrDefault(key, 0), limits.max(key));
    }

    /** Leases this node holds now. */
    public int held() {
        return held.size();
    }

    /** The heartbeat: the expiry of this node's leases moves to now + TTL at every level it holds lines at. */
    private void renew() {
        String me = node.memberId();
        IMap<String, LeaseSet> map = map();
        mine.forEach((k, n) -> {
            if (n.get() > 0) {
                map.executeOnKey(key(k), new LeaseProcessor(LeaseProcessor.Op.RENEW, null, me, 0, node.now(),
                    node.ttlMillis()));
            }
        });
    }

    /** Re-reads the count of every level this node follows; a drop means lines were freed elsewhere. */
    private void refresh() {
        IMap<String, LeaseSet> map = map();
        boolean dropped = false;
        for (LimitKey k : List.copyOf(counts.keySet())) {
            int n = map.executeOnKey(key(k), new LeaseCount(node.now()));
            Integer before = counts.put(k, n);
            dropped |= before != null && n < before;
        }
        if (dropped) {
            freed.forEach(Runnable::run);
        }
    }
}

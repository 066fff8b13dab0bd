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
 * <p>{@link #acquire} and {@link #adoptLive} send one entry processor per level and complete when the last one
 * answered: no caller thread waits, so an event loop may ask. {@link #tryAcquire} and {@link #adopt} wait for that
 * answer (worker threads only). Releases are sent without waiting.
 */
public final class ClusterLineLeases implements LimitedLines {
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

    /** Blocking: for worker threads only; an event loop uses {@link #acquire}. */
    @Override
    public Optional<Lease> tryAcquire(String campaign, String trunk) {
        return acquire(campaign, trunk).toCompletableFuture().join();
    }

    /** Blocking: for worker threads only; an event loop uses {@link #adoptLive}. */
    @Override
    public Lease adopt(String campaign, String trunk) {
        return adoptLive(campaign, trunk).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<Optional<Lease>> acquire(String campaign, String trunk) {
        return take(campaign, trunk, false).thenApply(Optional::ofNullable);
    }

    @Override
    public CompletionStage<Lease> adoptLive(String campaign, String trunk) {
        return take(campaign, trunk, true);
    }

    /**
     * Takes the levels one after the other, each request sent when the previous level answered (the next step runs
     * on {@link ClusterNode#continuations()}, no thread waits); a full level gives back the levels taken and
     * completes with null, a failed one gives them back and fails. Completes on that continuation thread.
     */
    private CompletableFuture<Lease> take(String campaign, String trunk, boolean adopt) {
        Take t = new Take(map(), LimitKey.levelsFor(campaign, trunk), UUID.randomUUID().toString(), node.memberId(),
            limits, adopt);
        takeFrom(t, 0);
        return t.done.thenApply(ok -> {
            if (!ok) {
                return null;
            }
            Lease lease = new Lease(t.id, campaign, trunk, Instant.ofEpochMilli(node.now()));
            held.put(t.id, lease);
            return lease;
        });
    }

    /** One lease being taken: its levels, those taken so far, and the answer. */
    private record Take(IMap<String, LeaseSet> map, List<LimitKey> levels, String id, String me, LineLimits limits,
                        boolean adopt, List<LimitKey> taken, CompletableFuture<Boolean> done) {
        Take(IMap<String, LeaseSet> map, List<LimitKey> levels, String id, String me, LineLimits limits,
             boolean adopt) {
            this(map, levels, id, me, limits, adopt, new ArrayList<>(3), new CompletableFuture<>());
        }
    }

    private void takeFrom(Take t, int i) {
        if (i == t.levels.size()) {
            t.done.complete(true);
            return;
        }
        LimitKey k = t.levels.get(i);
        t.map.submitToKey(key(k), new LeaseProcessor(t.adopt ? LeaseProcessor.Op.ADOPT : LeaseProcessor.Op.ACQUIRE,
            t.id, t.me, t.limits.max(k), node.now(), node.ttlMillis())).whenCompleteAsync((answer, err) -> {
                if (err != null || answer < 0) {
                    if (answer != null) {
                        counts.put(k, -answer - 1);
                    }
                    for (LimitKey back : t.taken) {
                        t.map.submitToKey(key(back),
                            new LeaseProcessor(LeaseProcessor.Op.RELEASE, t.id, t.me, 0, node.now(), 0));
                        mine(back).decrementAndGet();
                        counts.computeIfPresent(back, (x, n) -> Math.max(0, n - 1));
                    }
                    if (err != null) {
                        t.done.completeExceptionally(err);
                    } else {
                        t.done.complete(false);
                    }
                    return;
                }
                counts.put(k, answer);
                mine(k).incrementAndGet();
                t.taken.add(k);
                takeFrom(t, i + 1);
            }, node.continuations());
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
        for (LimitKey k : LimitKey.levelsFor(lease.campaign(), lease.trunk())) {
            mine(k).decrementAndGet();
            counts.computeIfPresent(k, (x, n) -> Math.max(0, n - 1));
            map.submitToKey(key(k), new LeaseProcessor(LeaseProcessor.Op.RELEASE, lease.id(), me, 0, node.now(), 0))
                .whenCompleteAsync((n, err) -> {
                    if (err != null) {
                        LOG.warn("cluster: releasing line lease {} at {} failed ({}); it expires by itself",
                            lease.id(), k, err.toString());
                    }
                }, node.continuations());
        }
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

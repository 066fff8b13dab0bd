package io.outdial.dialer.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.outdial.dialer.auth.Evictions;
import io.outdial.dialer.auth.LoginFailures;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.ready.DependencyStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * This node's embedded Hazelcast member. Alone by default: no multicast, no auto-detection, TCP join only
 * to the configured members and only when enabled. Hazelcast types stay inside this package; features that
 * need distributed maps (line leases, campaign ownership) add their cluster-side classes here.
 */
public final class ClusterNode {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** Liveness leases: member id → last heartbeat (epoch ms), each with the lease TTL. */
    static final String NODES = "outdial-nodes";
    /** Campaign ownership leases: campaign id → owner member id, each with the lease TTL. */
    static final String OWNERS = "outdial-campaign-owners";

    private final Vertx vertx;
    private final ClusterConfig config;
    private final java.time.Clock clock;
    private volatile HazelcastInstance instance;
    /** Campaigns this node owns (renewed by the heartbeat). */
    private final java.util.Set<String> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.List<Runnable> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Runnable> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long heartbeatTimer = -1;
    private long tickTimer = -1;
    private volatile boolean beating;
    private volatile Map<String, Integer> lines = Map.of();
    private volatile boolean ticking;
    /** The live view and campaign changes, once {@link #shareLiveView} was called. */
    private volatile ClusterBus bus;
    /** The Hazelcast user context: what tasks sent by other members find on this one. */
    private final java.util.concurrent.ConcurrentMap<String, Object> userContext =
        new java.util.concurrent.ConcurrentHashMap<>();
    /** The worker threads of the lease and token calls asked from event loops: {@link #calls()}. */
    private final java.util.concurrent.Executor calls;

    /** How often shared counts (lines, rate windows) are re-read from the cluster. */
    public static final long TICK_MS = 250;

    /** A member whose lease times are read from {@code clock}. */
    public ClusterNode(Vertx vertx, ClusterConfig config, java.time.Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        io.vertx.core.WorkerExecutor pool = vertx.createSharedWorkerExecutor("outdial-cluster-calls", CALL_THREADS);
        this.calls = work -> pool.executeBlocking(() -> {
            work.run();
            return null;
        }, false);
    }

    /** Worker threads for the cluster calls of the lease and token paths. */
    static final int CALL_THREADS = 4;

    /**
     * Where the line leases and rate tokens asked from event loops are taken: a pool of {@link #CALL_THREADS} worker
     * threads of this node, each waiting for its entry processors' answers (one round trip per level) while the
     * event loops go on. Waiting calls ({@code executeOnKey}) rather than {@code submitToKey}: Hazelcast hands each
     * {@code submitToKey} answer to its default executor, a new thread per answer on a machine of two cores or fewer.
     */
    java.util.concurrent.Executor calls() {
        return calls;
    }

    /** The configuration. */
    public ClusterConfig config() {
        return config;
    }

    /** Whether other members may join ({@code joinEnabled}): then limits and ownership are shared in the cluster. */
    public boolean shared() {
        return config.joinEnabled();
    }

    /**
     * The failed logins the API guard counts: when {@link #shared()}, counted by every member
     * ({@link ClusterLoginFailures}, with {@code local} as this node's own count); otherwise {@code local} alone.
     */
    public LoginFailures loginFailures(LoginFailures local) {
        return shared() ? new ClusterLoginFailures(this, local) : local;
    }

    /**
     * The revocations the API guard applies: when {@link #shared()}, to every member's cache
     * ({@link ClusterEvictions}); otherwise to this node's alone.
     */
    public Evictions evictions() {
        return shared() ? new ClusterEvictions(this) : Evictions.local();
    }

    /** Line leases and rate windows kept in the cluster ({@link ClusterPacing}), for the campaign runners. */
    public PacingBackend pacing() {
        return new ClusterPacing(this);
    }

    /**
     * Shares this node's live calls (the {@code outdial_campaign_live_calls} gauges of {@code registry}) and its
     * campaign changes with the other nodes ({@link ClusterBus}, docs/cluster.md). Call once, before
     * {@link #start()} and before the methods below; a node alone then tells its own listeners directly.
     */
    public void shareLiveView(io.micrometer.core.instrument.MeterRegistry registry) {
        if (bus != null) {
            throw new IllegalStateException("the live view is already shared");
        }
        bus = new ClusterBus(this, registry);
    }

    private ClusterBus bus() {
        ClusterBus b = bus;
        if (b == null) {
            throw new IllegalStateException("shareLiveView was not called");
        }
        return b;
    }

    /** Adds a listener told (on any thread) the id of each campaign whose state or definition changed on any node. */
    public void onCampaignChanged(java.util.function.Consumer<String> listener) {
        bus().onCampaignChanged(listener);
    }

    /** Adds a listener told (on any thread) the id of each campaign whose contacts changed on any node. */
    public void onContactsChanged(java.util.function.Consumer<String> listener) {
        bus().onContactsChanged(listener);
    }

    /**
     * Tells every node (this one too) that {@code campaign}'s state or definition changed in the database. Never
     * waits for the cluster.
     */
    public void campaignChanged(String campaign) {
        bus().campaignChanged(campaign);
    }

    /**
     * Tells every node (this one too) that contacts of {@code campaign} were imported, added, edited or deleted (or
     * a stop list it uses changed). Never waits for the cluster.
     */
    public void contactsChanged(String campaign) {
        bus().contactsChanged(campaign);
    }

    /**
     * The live feed's {@code snapshot} with the other nodes' view added, without any cluster call
     * ({@link ClusterBus#view}); unchanged for a node alone.
     */
    public io.vertx.core.json.JsonObject liveView(io.vertx.core.json.JsonObject snapshot) {
        return bus().view(snapshot);
    }

    /** The running member (for the cluster-side classes of this package); fails before start. */
    HazelcastInstance hazelcast() {
        HazelcastInstance hz = instance;
        if (hz == null) {
            throw new IllegalStateException("the cluster member is not running");
        }
        return hz;
    }

    /** The running member, or null before start and after stop. */
    HazelcastInstance running() {
        HazelcastInstance hz = instance;
        return hz != null && hz.getLifecycleService().isRunning() ? hz : null;
    }

    /** What tasks run on this member by others can reach (handlers registered before or after start). */
    java.util.concurrent.ConcurrentMap<String, Object> userContext() {
        return userContext;
    }

    long ttlMillis() {
        return config.leaseTtl().toMillis();
    }

    long now() {
        return clock.millis();
    }

    /** Adds work run on a worker every {@link #TICK_MS}: re-reading shared counts. */
    void onTick(Runnable work) {
        ticks.add(work);
    }

    /** Adds work run on a worker at each heartbeat (every third of the lease TTL): lease renewals. */
    void onHeartbeat(Runnable renew) {
        heartbeats.add(renew);
    }

    /** Starts the member on a worker thread (Hazelcast start-up blocks for a few seconds). */
    public Future<Void> start() {
        return vertx.<Void>executeBlocking(() -> {
            if (!config.joinEnabled()) {
                StandaloneJoinFilter.install();
            }
            try {
                instance = Hazelcast.newHazelcastInstance(hazelcastConfig(config).setUserContext(userContext));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cluster member " + config.host() + ":" + config.port()
                    + " cannot start: " + e.getMessage(), e);
            }
            LOG.info("cluster member started: {} in cluster '{}' at {}, {} member(s)", memberId(), config.name(),
                instance.getCluster().getLocalMember().getAddress(), memberCount());
            heartbeat();
            return null;
        }).onSuccess(v -> {
            long every = Math.max(100, ttlMillis() / 3);
            heartbeatTimer = vertx.setPeriodic(every, t -> {
                if (beating) {
                    return;
                }
                beating = true;
                vertx.executeBlocking(() -> {
                    heartbeat();
                    return null;
                }, false).onComplete(ar -> {
                    beating = false;
                    if (ar.failed()) {
                        LOG.warn("cluster heartbeat failed: {}", ar.cause().toString());
                    }
                });
            });
            tickTimer = vertx.setPeriodic(TICK_MS, t -> {
                if (ticking || ticks.isEmpty()) {
                    return;
                }
                ticking = true;
                vertx.executeBlocking(() -> {
                    HazelcastInstance hz = instance;
                    if (hz != null && hz.getLifecycleService().isRunning()) {
                        ticks.forEach(Runnable::run);
                    }
                    return null;
                }, false).onComplete(ar -> {
                    ticking = false;
                    if (ar.failed()) {
                        LOG.debug("cluster refresh failed: {}", ar.cause().toString());
                    }
                });
            });
        });
    }

    /** Renews this node's liveness lease, its campaign ownership leases and whatever else registered. Blocking. */
    private void heartbeat() {
        HazelcastInstance hz = instance;
        if (hz == null || !hz.getLifecycleService().isRunning()) {
            return;
        }
        String me = memberId();
        hz.<String, Long>getMap(NODES).set(me, now(), ttlMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        for (String campaign : owned) {
            if (!me.equals(hz.<String, String>getMap(OWNERS).executeOnKey(campaign,
                    new OwnershipProcessor(me, ttlMillis(), false)))) {
                owned.remove(campaign);
            }
        }
        heartbeats.forEach(Runnable::run);
        if (config.joinEnabled()) {
            lines = hz.<String, LeaseSet>getMap(ClusterLineLeases.MAP).executeOnKey("global", new LinesByNode(now()));
        }
    }

    /** Lines in use per node (member id → calls), as of the last heartbeat; empty for a node alone. */
    public Map<String, Integer> linesByNode() {
        return Map.copyOf(lines);
    }

    /**
     * Whether node {@code id} is alive: its liveness lease (renewed by its heartbeat) has not expired. Blocking.
     * This node is alive while it runs.
     */
    public boolean alive(String id) {
        HazelcastInstance hz = instance;
        if (id == null || hz == null) {
            return false;
        }
        if (id.equals(memberId())) {
            return true;
        }
        return hz.getMap(NODES).containsKey(id);
    }

    /**
     * The owner lease of {@code campaign}: renewed when this node holds it, taken when nobody does and {@code mayTake}.
     * Returns whether this node owns it now. Blocking (one entry processor on the campaign's partition).
     */
    public boolean own(String campaign, boolean mayTake) {
        HazelcastInstance hz = hazelcast();
        String me = memberId();
        Object owner = hz.<String, String>getMap(OWNERS).executeOnKey(campaign,
            new OwnershipProcessor(me, ttlMillis(), mayTake));
        if (me.equals(owner)) {
            if (owned.add(campaign)) {
                LOG.info("cluster: this node now owns campaign {}", campaign);
            }
            return true;
        }
        if (owned.remove(campaign)) {
            LOG.info("cluster: campaign {} is now owned by node {}", campaign, owner);
        }
        return false;
    }

    /** The owner node of each campaign that has one now (member ids). Blocking. */
    public java.util.Map<String, String> owners() {
        HazelcastInstance hz = instance;
        return hz == null ? java.util.Map.of() : java.util.Map.copyOf(hz.<String, String>getMap(OWNERS));
    }

    /**
     * Gives up this node's owner lease of one campaign (to a node that owns fewer): another node may take it now.
     * Blocking.
     */
    public void release(String campaign) {
        HazelcastInstance hz = hazelcast();
        if (owned.remove(campaign)) {
            hz.<String, String>getMap(OWNERS).remove(campaign, memberId());
            LOG.info("cluster: this node gives campaign {} up to a node that owns fewer", campaign);
        }
    }

    /** Gives up the owner leases of this node (at the stop, after the drain): another node may take them now. */
    private void releaseOwnership(HazelcastInstance hz) {
        String me = memberId();
        for (String campaign : owned) {
            hz.<String, String>getMap(OWNERS).remove(campaign, me);
        }
        owned.clear();
        hz.getMap(NODES).remove(me);
    }

    /** The id of this member, empty before start. */
    public String memberId() {
        HazelcastInstance hz = instance;
        return hz == null ? "" : hz.getCluster().getLocalMember().getUuid().toString();
    }

    /** The ids of the members this node sees now, itself included; empty before start or after stop. */
    public java.util.Set<String> memberIds() {
        HazelcastInstance hz = instance;
        if (hz == null || !hz.getLifecycleService().isRunning()) {
            return java.util.Set.of();
        }
        return hz.getCluster().getMembers().stream().map(m -> m.getUuid().toString())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** How many members this node currently sees, including itself; 0 before start or after stop. */
    public int memberCount() {
        HazelcastInstance hz = instance;
        return hz == null || !hz.getLifecycleService().isRunning() ? 0 : hz.getCluster().getMembers().size();
    }

    /** Readiness: UP with the member count, DOWN when the member is not running. */
    public Future<DependencyStatus> check() {
        int members = memberCount();
        if (members == 0) {
            return Future.succeededFuture(DependencyStatus.down("cluster member not running"));
        }
        String mode = config.joinEnabled() ? "joining " + config.members() : "single node (join disabled)";
        HazelcastInstance hz = instance;
        String list = hz == null ? "" : hz.getCluster().getMembers().stream()
            .map(m -> m.getUuid() + "@" + m.getAddress().getHost() + ":" + m.getAddress().getPort()
                + (m.localMember() ? " (this node)" : ""))
            .collect(java.util.stream.Collectors.joining(", ", ": [", "]"));
        Map<String, Integer> inUse = lines;
        String perNode = !config.joinEnabled() ? "" : hz == null ? "" : "; lines in use: " + hz.getCluster()
            .getMembers().stream().map(m -> m.getUuid() + " " + inUse.getOrDefault(m.getUuid().toString(), 0))
            .collect(java.util.stream.Collectors.joining(", "));
        return Future.succeededFuture(DependencyStatus.up("cluster '" + config.name() + "', " + members
            + " member(s), " + mode + list + perNode));
    }

    /** Leaves the cluster gracefully. */
    public Future<Void> stop() {
        HazelcastInstance hz = instance;
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
            tickTimer = -1;
        }
        if (hz == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            try {
                releaseOwnership(hz);
            } catch (RuntimeException e) {
                LOG.warn("cluster: releasing this node's leases failed ({}); they expire by themselves", e.toString());
            }
            instance = null;
            hz.shutdown();
            LOG.info("cluster member stopped");
            return null;
        });
    }

    static Config hazelcastConfig(ClusterConfig config) {
        Config hc = new Config();
        hc.setClusterName(config.name());
        hc.setInstanceName("outdial-" + config.name() + "-" + config.port() + "-" + System.nanoTime());
        // We shut the member down ourselves, after draining; Hazelcast must not race us on SIGTERM.
        hc.setProperty("hazelcast.shutdownhook.enabled", "false");
        hc.setProperty("hazelcast.phone.home.enabled", "false");
        hc.setProperty("hazelcast.logging.type", "slf4j");
        // Hazelcast's own metrics (gathered every few seconds and published over JMX) feed nothing here: the node's
        // meters are on /metrics. Off, a member spends less CPU when the node is idle.
        hc.getMetricsConfig().setEnabled(false);
        NetworkConfig network = hc.getNetworkConfig();
        network.setPort(config.port()).setPortAutoIncrement(true).setPortCount(100);
        network.setPublicAddress(null);
        network.getInterfaces().setEnabled(true).addInterface(config.host());
        hc.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(config.joinEnabled()).setMembers(config.members());
        // a member killed without a goodbye is dropped within the lease TTL (default 60 s without heartbeat)
        long ttlSeconds = Math.max(1, config.leaseTtl().toSeconds());
        hc.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        hc.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(Math.max(3, ttlSeconds)));
        hc.getMapConfig(ClusterLineLeases.MAP).setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT)
            .setBackupCount(1);
        hc.getMapConfig(ClusterRateLimiter.MAP).setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT)
            .setBackupCount(1);
        // an address or name flood cannot fill the heap: the least recently used keys go first
        hc.getMapConfig(ClusterLoginFailures.MAP).setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT)
            .setBackupCount(1).getEvictionConfig().setEvictionPolicy(com.hazelcast.config.EvictionPolicy.LRU)
            .setMaxSizePolicy(com.hazelcast.config.MaxSizePolicy.PER_NODE).setSize(100_000);
        return hc;
    }
}

package io.outdial.dialer.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.outdial.dialer.ready.DependencyStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * This node's embedded Hazelcast member. Alone by default: no multicast, no auto-detection, TCP join only
 * to the configured members and only when enabled. Hazelcast types stay inside this package; features that
 * need distributed maps (line leases, campaign ownership) add their cluster-side classes here.
 */
public final class ClusterNode {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final Vertx vertx;
    private final ClusterConfig config;
    private volatile HazelcastInstance instance;

    public ClusterNode(Vertx vertx, ClusterConfig config) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Starts the member on a worker thread (Hazelcast start-up blocks for a few seconds). */
    public Future<Void> start() {
        return vertx.executeBlocking(() -> {
            try {
                instance = Hazelcast.newHazelcastInstance(hazelcastConfig(config));
            } catch (RuntimeException e) {
                throw new IllegalStateException("cluster member " + config.host() + ":" + config.port()
                    + " cannot start: " + e.getMessage(), e);
            }
            LOG.info("cluster member started: {} in cluster '{}' at {}, {} member(s)", memberId(), config.name(),
                instance.getCluster().getLocalMember().getAddress(), memberCount());
            return null;
        });
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
        return Future.succeededFuture(DependencyStatus.up("cluster '" + config.name() + "', " + members
            + " member(s), " + mode));
    }

    /** Leaves the cluster gracefully. */
    public Future<Void> stop() {
        HazelcastInstance hz = instance;
        instance = null;
        if (hz == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
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
        NetworkConfig network = hc.getNetworkConfig();
        network.setPort(config.port()).setPortAutoIncrement(true).setPortCount(100);
        network.setPublicAddress(null);
        network.getInterfaces().setEnabled(true).addInterface(config.host());
        hc.setProperty("hazelcast.socket.bind.any", "false");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(config.joinEnabled()).setMembers(config.members());
        return hc;
    }
}

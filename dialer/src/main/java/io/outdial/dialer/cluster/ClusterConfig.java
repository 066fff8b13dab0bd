package io.outdial.dialer.cluster;

import java.time.Duration;
import java.util.List;

/**
 * The embedded Hazelcast member. A node alone needs nothing: no join, loopback, a single member.
 *
 * @param name        cluster name; members with different names never join
 * @param host        interface the member binds and advertises, e.g. {@code 127.0.0.1} or {@code 10.0.0.5}
 * @param port        first member port; the next free one is taken when it is in use
 * @param joinEnabled whether to join the {@code members} over TCP (multicast is never used)
 * @param members     other members as {@code host} or {@code host:port}, used when {@code joinEnabled}
 * @param leaseTtl    how long a node's leases (its liveness, its campaigns, its lines) outlive its last heartbeat:
 *                    a killed node's are free after at most this long (1 s .. 60 s; default 10 s)
 */
public record ClusterConfig(String name, String host, int port, boolean joinEnabled, List<String> members,
                            Duration leaseTtl) {
    /** Default lease TTL. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);

    public ClusterConfig(String name, String host, int port, boolean joinEnabled, List<String> members) {
        this(name, host, port, joinEnabled, members, DEFAULT_LEASE_TTL);
    }

    public ClusterConfig {
        leaseTtl = leaseTtl == null ? DEFAULT_LEASE_TTL : leaseTtl;
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0 || leaseTtl.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("leaseTtl " + leaseTtl + " is out of range (expected 1s..60s)");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is empty (expected a cluster name such as outdial)");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty (expected an interface address such as 127.0.0.1)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 1..65535)");
        }
        members = members == null ? List.of() : List.copyOf(members);
        if (joinEnabled && members.isEmpty()) {
            throw new IllegalArgumentException("joinEnabled is true but members is empty (expected host[:port] entries)");
        }
    }

    /** Defaults: cluster {@code outdial}, loopback, port 5701, no join (a single-node cluster). */
    public static ClusterConfig defaults() {
        return new ClusterConfig("outdial", "127.0.0.1", 5701, false, List.of(), DEFAULT_LEASE_TTL);
    }
}

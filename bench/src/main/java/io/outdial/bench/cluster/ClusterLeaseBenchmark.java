package io.outdial.bench.cluster;

import io.outdial.bench.BenchmarkBase;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cost of shared line leases and rate tokens: a line lease taken and released, and a call set-up (line lease,
 * rate token at the campaign, trunk and global levels, release) through a node alone ({@code baseline}: in-memory
 * {@link Pacer#local}, what a node with {@code cluster.joinEnabled: false} uses) and through the cluster's
 * {@code ClusterLineLeases} / {@code ClusterRateLimiter}, with {@code members} = 1 (a cluster node alone) or 3
 * (three members in this JVM on loopback, the levels' partitions spread over them). Calls are made from member 1.
 */
public class ClusterLeaseBenchmark extends BenchmarkBase {
    private static final LineLimits LINES = new LineLimits(1_000_000, Map.of("t", 1_000_000),
        Map.of("c", 1_000_000));
    /** Limits high enough never to refuse, so each set-up takes its tokens at every level. */
    private static final RateLimits RATES = new RateLimits(new RateLimit(1_000_000, 0),
        Map.of("t", new RateLimit(1_000_000, 0)), Map.of("c", new RateLimit(1_000_000, 0)));

    @Param({"1", "3"})
    public int members;

    private Vertx vertx;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private Pacer cluster;
    private Pacer local;
    private final Clock clock = Clock.systemUTC();

    @Setup
    public void start() throws Exception {
        vertx = Vertx.vertx();
        String name = "outdial-bench-" + System.nanoTime();
        int[] ports = new int[members];
        for (int i = 0; i < members; i++) {
            ports[i] = freePort();
        }
        for (int i = 0; i < members; i++) {
            List<String> others = new ArrayList<>();
            for (int j = 0; j < members; j++) {
                others.add("127.0.0.1:" + ports[j]);
            }
            nodes.add(new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", ports[i], true, others,
                Duration.ofSeconds(10)), clock));
        }
        for (ClusterNode n : nodes) {
            n.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 600 && nodes.get(0).memberCount() < members; i++) {
            Thread.sleep(100);
        }
        if (nodes.get(0).memberCount() != members) {
            throw new IllegalStateException("only " + nodes.get(0).memberCount() + " of " + members + " joined");
        }
        PacingBackend pacing = nodes.get(0).pacing();
        cluster = new Pacer(pacing.lines(LINES), pacing.rates(RATES));
        local = Pacer.local(LINES, RATES, clock);
    }

    @TearDown
    public void stop() throws Exception {
        for (ClusterNode n : nodes) {
            n.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A node alone: an in-memory lease taken and released. */
    @Benchmark
    public Lease baseline() {
        Lease lease = ((Pacer.Started) local.tryLease("c", "t")).lease();
        local.finished(lease);
        return lease;
    }

    /** A shared lease taken (three entry processors, one per level) and released (sent without waiting). */
    @Benchmark
    public Lease clusterLease() {
        Lease lease = ((Pacer.Started) cluster.tryLease("c", "t")).lease();
        cluster.finished(lease);
        return lease;
    }

    /** A node alone: lease, rate token at three levels, release. */
    @Benchmark
    public boolean localCallSetup() {
        Lease lease = ((Pacer.Started) local.tryLease("c", "t")).lease();
        boolean granted = local.tryToken("c", "t", clock.instant()).granted();
        local.finished(lease);
        return granted;
    }

    /** Shared: lease, rate token at three levels, release. */
    @Benchmark
    public boolean clusterCallSetup() {
        Lease lease = ((Pacer.Started) cluster.tryLease("c", "t")).lease();
        boolean granted = cluster.tryToken("c", "t", Instant.now()).granted();
        cluster.finished(lease);
        return granted;
    }

    /** The usage read the runner's line sharing makes (served from the last counts seen). */
    @Benchmark
    public int clusterUsage() {
        return cluster.usage(LimitKey.GLOBAL).inUse();
    }
}

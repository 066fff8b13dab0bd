package io.outdial.dialer.cluster;

import com.hazelcast.map.EntryProcessor;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimiter;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cluster member whose partition of the {@code global} level is held busy (an entry processor that waits for a
 * latch, as a slow or migrating partition would): a line lease and a rate token asked on an event loop leave the
 * event loop free (the next task queued on it runs while the cluster has not answered), and the answers come once
 * the partition is free again, the rate token's on the asking event loop. A waiting call would keep that next task
 * from ever running before the latch opens, so the test fails without any timing bound.
 */
class ClusterSlowPartitionIT {
    private static Vertx vertx;
    private static ClusterNode node;

    /** Opened by the test: until then the partition of the held key runs nothing else. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch HOLDING = new CountDownLatch(1);

    /** Holds its key's partition thread until {@link #RELEASE} opens (at most two minutes). */
    static final class Hold implements EntryProcessor<String, Object, Object>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object process(Map.Entry<String, Object> entry) {
            HOLDING.countDown();
            try {
                RELEASE.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }

        @Override
        public EntryProcessor<String, Object, Object> getBackupProcessor() {
            return null;
        }
    }

    @BeforeAll
    static void startMember() {
        vertx = Vertx.vertx();
        node = new ClusterNode(vertx, new ClusterConfig("outdial-slow-" + TestConfigs.freePort(), "127.0.0.1",
            TestConfigs.freePort(), false, List.of(), Duration.ofSeconds(10)), Clock.systemUTC());
        Await.result(node.start(), 120);
    }

    @AfterAll
    static void stopMember() {
        RELEASE.countDown();
        Await.result(node.stop(), 60);
        Await.result(vertx.close());
    }

    @Test
    void aLeaseAndATokenAskedOnAnEventLoopDoNotHoldItWhileThePartitionIsBusy() throws Exception {
        Pacer pacer = new Pacer(new ClusterLineLeases(node, new LineLimits(5, Map.of(), Map.of())),
            new ClusterRateLimiter(node, new RateLimits(new RateLimit(10, 0), Map.of(), Map.of())));
        node.hazelcast().<String, Object>getMap(ClusterLineLeases.MAP).submitToKey("global", new Hold());
        assertThat(HOLDING.await(60, TimeUnit.SECONDS)).as("the partition is held").isTrue();

        Context loop = vertx.getOrCreateContext();
        Instant asked = Instant.now();
        AtomicReference<CompletionStage<Pacer.Result>> lease = new AtomicReference<>();
        AtomicReference<CompletionStage<RateLimiter.Decision>> token = new AtomicReference<>();
        AtomicBoolean nextTaskRan = new AtomicBoolean();
        AtomicBoolean tokenOnTheLoop = new AtomicBoolean();
        loop.runOnContext(v -> {
            lease.set(pacer.lease("c", "t"));
            token.set(pacer.token("c", "t", asked, work -> loop.runOnContext(x -> work.run()))
                .whenComplete((d, e) -> tokenOnTheLoop.set(Context.isOnEventLoopThread()
                    && Vertx.currentContext() == loop)));
            loop.runOnContext(x -> nextTaskRan.set(true));
        });
        await().atMost(Duration.ofSeconds(60)).untilTrue(nextTaskRan);
        assertThat(lease.get().toCompletableFuture()).as("no lease answer while the partition is held").isNotDone();
        assertThat(token.get().toCompletableFuture()).as("no token answer while the partition is held").isNotDone();

        RELEASE.countDown();
        Pacer.Result r = lease.get().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(r).isInstanceOf(Pacer.Started.class);
        RateLimiter.Decision d = token.get().toCompletableFuture().get(60, TimeUnit.SECONDS);
        // granted at the time it could leave, or (a machine too busy to answer within the stale bound five times
        // running) refused with a retry: never granted at the instant it was asked
        assertThat(d.granted() || d.retryAt().isAfter(asked)).as("%s", d).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilTrue(tokenOnTheLoop);
        assertThat(pacer.usage(LimitKey.GLOBAL).inUse()).isEqualTo(1);
        pacer.finished(((Pacer.Started) r).lease());
    }
}

package io.outdial.dialer.cluster;

import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimiter;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three cluster members in one JVM on loopback sharing line leases and rate windows: random acquires, releases and
 * a crashed member never push a level over its limit, the limits are used up to the last line, and a crashed
 * member's leases are free again once its lease TTL ran out.
 */
class ClusterLimitsIT {
    private static final Duration TTL = Duration.ofSeconds(2);
    /** Global 6, trunk t 5, campaigns a and b 3 each (both on trunk t), campaign c unlimited on trunk u. */
    private static final LineLimits LIMITS = new LineLimits(6, Map.of("t", 5), Map.of("a", 3, "b", 3));

    private static Vertx vertx;
    private static final List<ClusterNode> NODES = new ArrayList<>();

    @BeforeAll
    static void startThreeMembers() {
        vertx = Vertx.vertx();
        String name = "outdial-limits-" + TestConfigs.freePort();
        int[] ports = {TestConfigs.freePort(), TestConfigs.freePort(), TestConfigs.freePort()};
        for (int i = 0; i < 3; i++) {
            List<String> others = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    others.add("127.0.0.1:" + ports[j]);
                }
            }
            NODES.add(new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", ports[i], true, others, TTL),
                Clock.systemUTC()));
        }
        for (ClusterNode n : NODES) {
            Await.result(n.start(), 120);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> NODES.get(0).memberCount() == 3);
    }

    @AfterAll
    static void stopMembers() {
        for (ClusterNode n : NODES) {
            Await.result(n.stop(), 60);
        }
        Await.result(vertx.close());
    }

    private record Held(int member, Lease lease) { }

    @Test
    void randomAcquireReleaseAndACrashNeverExceedALimitAndTheCrashedMembersLinesComeBack() {
        List<ClusterLineLeases> leases = new ArrayList<>();
        NODES.forEach(n -> leases.add(new ClusterLineLeases(n, LIMITS)));
        Random random = new Random(20261204L);
        List<Held> held = new ArrayList<>();
        String[][] calls = {{"a", "t"}, {"b", "t"}, {"c", "u"}};
        boolean[] crashed = new boolean[3];
        int granted = 0;
        int refused = 0;
        for (int step = 0; step < 400; step++) {
            int m = random.nextInt(crashed[2] ? 2 : 3);
            if (step == 250) {
                // member 3 dies holding its leases: no release, no goodbye
                NODES.get(2).hazelcast().getLifecycleService().terminate();
                crashed[2] = true;
                continue;
            }
            if (random.nextInt(10) < 6 || held.isEmpty()) {
                String[] call = calls[random.nextInt(calls.length)];
                Optional<Lease> lease = leases.get(m).tryAcquire(call[0], call[1]);
                if (lease.isPresent()) {
                    held.add(new Held(m, lease.get()));
                    granted++;
                } else {
                    refused++;
                }
            } else {
                List<Held> releasable = held.stream().filter(h -> !crashed[h.member()]).toList();
                if (!releasable.isEmpty()) {
                    Held h = releasable.get(random.nextInt(releasable.size()));
                    leases.get(h.member()).release(h.lease());
                    held.remove(h);
                }
            }
            assertWithinLimits(held.stream().filter(h -> !crashed[h.member()]).toList());
            assertClusterWithinLimits();
        }
        assertThat(granted).isGreaterThan(20);
        assertThat(refused).isGreaterThan(20); // the limits were reached, not only stayed under

        // the crashed member's leases expire: the two others get every line of the global limit back
        held.stream().filter(h -> !crashed[h.member()]).forEach(h -> leases.get(h.member()).release(h.lease()));
        held.clear();
        List<Lease> filled = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            leases.get(filled.size() % 2).tryAcquire("c", "u").ifPresent(filled::add);
            return filled.size() == LIMITS.global();
        });
        // used up to the limit and not beyond, whichever member asks
        assertThat(leases.get(0).tryAcquire("c", "u")).isEmpty();
        assertThat(leases.get(1).tryAcquire("c", "u")).isEmpty();
        filled.forEach(l -> leases.get(0).release(l));
    }

    /** The leases live in the cluster's map at each level (the crashed member's until they expire) are within limits. */
    private static void assertClusterWithinLimits() {
        ClusterNode any = NODES.get(0);
        for (LimitKey k : List.of(LimitKey.GLOBAL, LimitKey.trunk("t"), LimitKey.trunk("u"), LimitKey.campaign("a"),
                LimitKey.campaign("b"))) {
            int live = any.hazelcast().<String, LeaseSet>getMap(ClusterLineLeases.MAP)
                .executeOnKey(ClusterLineLeases.key(k), new LeaseCount(any.now()));
            assertThat(live).as("live leases in the cluster at %s", k).isLessThanOrEqualTo(LIMITS.max(k));
        }
    }

    /** Lines held by the live members' leases per level. */
    private static void assertWithinLimits(List<Held> held) {
        Map<LimitKey, Integer> count = new HashMap<>();
        for (Held h : held) {
            for (LimitKey k : LimitKey.levelsFor(h.lease().campaign(), h.lease().trunk())) {
                count.merge(k, 1, Integer::sum);
            }
        }
        count.forEach((k, n) -> assertThat(n).as("lines held at %s", k).isLessThanOrEqualTo(LIMITS.max(k)));
    }

    @Test
    void aRateLimitHoldsAcrossMembers() throws InterruptedException {
        RateLimits limits = new RateLimits(new RateLimit(0, 0), Map.of(), Map.of("r", new RateLimit(4, 0)));
        List<ClusterRateLimiter> rates = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rates.add(new ClusterRateLimiter(NODES.get(i), limits));
        }
        // two members ask in turn for a while; a granted token's time is the decision's retryAt
        List<Long> granted = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            RateLimiter.Decision d = rates.get(i % 2).tryAcquire(LimitKey.levelsFor("r", "x"), Instant.now());
            if (d.granted()) {
                granted.add(d.retryAt().toEpochMilli());
            }
            Thread.sleep(10);
        }
        granted.sort(Long::compare);
        int most = 0;
        for (int i = 0; i < granted.size(); i++) {
            int j = i;
            while (j < granted.size() && granted.get(j) - granted.get(i) < 1000) {
                j++;
            }
            most = Math.max(most, j - i);
        }
        assertThat(most).as("tokens granted in any 1 s window by two members " + granted).isLessThanOrEqualTo(4);
        assertThat(most).as("the limit is used").isEqualTo(4);
    }

    @Test
    void aTokenGivenBackOnOneMemberFreesItsRoomForTheOthers() {
        RateLimits limits = new RateLimits(new RateLimit(0, 0), Map.of(), Map.of("g", new RateLimit(2, 0)));
        ClusterRateLimiter a = new ClusterRateLimiter(NODES.get(0), limits);
        ClusterRateLimiter b = new ClusterRateLimiter(NODES.get(1), limits);
        List<LimitKey> keys = LimitKey.levelsFor("g", "x");
        Instant t = Instant.now();
        assertThat(a.tryAcquire(keys, t).granted()).isTrue();
        assertThat(a.tryAcquire(keys, t.plusMillis(1)).granted()).isTrue();
        assertThat(b.tryAcquire(keys, t.plusMillis(2)).granted()).as("the second is full across members").isFalse();
        a.giveBack(keys, t.plusMillis(1));
        await().atMost(Duration.ofSeconds(10))
            .until(() -> b.tryAcquire(keys, t.plusMillis(3)).granted());
        assertThat(a.tryAcquire(keys, t.plusMillis(4)).granted()).as("full again").isFalse();
    }
}

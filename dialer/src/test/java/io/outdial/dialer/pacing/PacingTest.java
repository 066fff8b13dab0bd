package io.outdial.dialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.outdial.sandbox.pbx.PbxLog;
import org.junit.jupiter.api.Test;

class PacingTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    @Test
    void campaignLineLimitHoldsAndReleaseFreesTheLine() {
        LocalLineLeases leases = new LocalLineLeases(new LineLimits(10, Map.of(), Map.of("c1", 2)), clock);
        Optional<Lease> a = leases.tryAcquire("c1", "t");
        Optional<Lease> b = leases.tryAcquire("c1", "t");
        assertThat(leases.tryAcquire("c1", "t")).isEmpty();
        assertThat(leases.blockedBy("c1", "t")).contains(new LineUsage(LimitKey.campaign("c1"), 2, 2));
        assertThat(leases.tryAcquire("c2", "t")).as("other campaign unaffected").isPresent();
        leases.release(a.orElseThrow());
        leases.release(a.orElseThrow());
        assertThat(leases.usage(LimitKey.campaign("c1")).inUse()).as("double release is harmless").isEqualTo(1);
        assertThat(leases.tryAcquire("c1", "t")).isPresent();
        assertThat(b).isPresent();
    }

    @Test
    void trunkAndGlobalLimitsApplyAcrossCampaigns() {
        LocalLineLeases leases = new LocalLineLeases(new LineLimits(3, Map.of("t1", 1), Map.of()), clock);
        assertThat(leases.tryAcquire("a", "t1")).isPresent();
        assertThat(leases.tryAcquire("b", "t1")).isEmpty();
        assertThat(leases.blockedBy("b", "t1").orElseThrow().toString()).isEqualTo("line limit 1/1 on trunk t1");
        assertThat(leases.tryAcquire("b", "t2")).isPresent();
        assertThat(leases.tryAcquire("c", "t2")).isPresent();
        assertThat(leases.tryAcquire("d", "t3")).isEmpty();
        assertThat(leases.blockedBy("d", "t3").orElseThrow().key()).isEqualTo(LimitKey.GLOBAL);
    }

    @Test
    void perSecondLimitSlidesInsteadOfResettingOnSecondBoundaries() {
        SlidingWindowRateLimiter rl = new SlidingWindowRateLimiter(
                new RateLimits(new RateLimit(2, 0), Map.of(), Map.of()));
        List<LimitKey> keys = LimitKey.levelsFor("c", "t");
        assertThat(rl.tryAcquire(keys, T0.plusMillis(900)).granted()).isTrue();
        assertThat(rl.tryAcquire(keys, T0.plusMillis(950)).granted()).isTrue();
        RateLimiter.Decision third = rl.tryAcquire(keys, T0.plusMillis(1100));
        assertThat(third.granted()).as("an aligned bucket would allow this one").isFalse();
        assertThat(third.blockedBy()).contains(LimitKey.GLOBAL);
        assertThat(third.retryAt()).isEqualTo(T0.plusMillis(1900));
        assertThat(rl.tryAcquire(keys, T0.plusMillis(1900)).granted()).isTrue();
    }

    @Test
    void aTokenGivenBackFreesItsRoomAtEveryLevelAndTheOthersStay() {
        SlidingWindowRateLimiter rl = SlidingWindowRateLimiter.atSend(
                new RateLimits(new RateLimit(0, 3), Map.of("t", new RateLimit(2, 0)), Map.of()));
        List<LimitKey> keys = LimitKey.levelsFor("c", "t");
        assertThat(rl.tryAcquire(keys, T0).granted()).isTrue();
        assertThat(rl.tryAcquire(keys, T0.plusMillis(10)).granted()).isTrue();
        assertThat(rl.tryAcquire(keys, T0.plusMillis(20)).granted()).as("the trunk's second is full").isFalse();
        rl.giveBack(keys, T0.plusMillis(10)); // that request never left
        assertThat(rl.tryAcquire(keys, T0.plusMillis(30)).granted()).as("its room is free again").isTrue();
        RateLimiter.Decision next = rl.tryAcquire(keys, T0.plusMillis(40));
        assertThat(next.granted()).isFalse();
        assertThat(next.retryAt()).as("the start at T0 still counts").isEqualTo(T0.plusMillis(1020));
        rl.giveBack(keys, T0.plusMillis(500)); // a time never granted: nothing changes
        assertThat(rl.tryAcquire(keys, T0.plusMillis(1020)).granted()).isTrue();
        RateLimiter.Decision minute = rl.tryAcquire(keys, T0.plusMillis(2100));
        assertThat(minute.blockedBy()).as("the global minute holds 3 starts, the given-back one not among them")
                .contains(LimitKey.GLOBAL);
    }

    @Test
    void theSendLimiterCapsBurstsAndStillReachesTheLimit() {
        SlidingWindowRateLimiter rl = SlidingWindowRateLimiter.atSend(
                new RateLimits(RateLimit.NONE, Map.of(), Map.of("c", new RateLimit(400, 0))));
        List<LimitKey> keys = LimitKey.levelsFor("c", "t");
        for (int i = 0; i < 40; i++) {
            assertThat(rl.tryAcquire(keys, T0).granted()).as("start %d of the first burst", i).isTrue();
        }
        RateLimiter.Decision next = rl.tryAcquire(keys, T0);
        assertThat(next.granted()).as("a second's worth never leaves at once").isFalse();
        assertThat(next.blockedBy()).contains(LimitKey.campaign("c"));
        assertThat(next.retryAt()).isEqualTo(T0.plusMillis(102)); // a tenth of 1 s + the 20 ms send guard
        assertThat(rl.room(keys, T0).free()).as("the second's room is not cut by the cap").isEqualTo(360);

        // asked greedily every millisecond for 10 s: never more than the limit in any 1 s nor 40 in any 102 ms, and
        // the limit is still reached (its starts per 1.02 s)
        List<Long> granted = greedy(SlidingWindowRateLimiter.atSend(
                new RateLimits(new RateLimit(400, 0), Map.of(), Map.of())), keys);
        assertThat(PbxLog.mostWithin(granted, 1000)).isEqualTo(400);
        assertThat(PbxLog.mostWithin(granted, 102)).isEqualTo(40);
        assertThat(granted.size()).isBetween(9 * 400, 10 * 400);
        List<Long> fast = greedy(SlidingWindowRateLimiter.atSend(
                new RateLimits(new RateLimit(1000, 0), Map.of(), Map.of())), keys);
        assertThat(PbxLog.mostWithin(fast, 102)).as("a tenth of a limit above 400/s").isEqualTo(100);
        assertThat(PbxLog.mostWithin(fast, 1000)).isEqualTo(1000);
        List<Long> slow = greedy(SlidingWindowRateLimiter.atSend(
                new RateLimits(new RateLimit(30, 0), Map.of(), Map.of())), keys);
        assertThat(PbxLog.mostWithin(slow, 1)).as("a limit of 40/s or less leaves in one burst").isEqualTo(30);
    }

    /** The starts (ms after T0) that {@code rl} grants when asked every millisecond for 10 s. */
    private static List<Long> greedy(SlidingWindowRateLimiter rl, List<LimitKey> keys) {
        List<Long> granted = new java.util.ArrayList<>();
        for (long ms = 0; ms < 10_000; ms++) {
            while (rl.tryAcquire(keys, T0.plusMillis(ms)).granted()) {
                granted.add(ms);
            }
        }
        return granted;
    }

    @Test
    void perMinuteLimitOnTheCampaignLevelNamesTheCampaign() {
        SlidingWindowRateLimiter rl = new SlidingWindowRateLimiter(
                new RateLimits(RateLimit.NONE, Map.of(), Map.of("c", new RateLimit(0, 3))));
        List<LimitKey> keys = LimitKey.levelsFor("c", "t");
        for (int i = 0; i < 3; i++) {
            assertThat(rl.tryAcquire(keys, T0.plusSeconds(i * 10)).granted()).isTrue();
        }
        RateLimiter.Decision d = rl.tryAcquire(keys, T0.plusSeconds(59));
        assertThat(d.blockedBy()).contains(LimitKey.campaign("c"));
        assertThat(d.retryAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(rl.tryAcquire(LimitKey.levelsFor("other", "t"), T0.plusSeconds(59)).granted()).isTrue();
    }

    @Test
    void refusedRateTokenReturnsTheLease() {
        LocalLineLeases leases = new LocalLineLeases(new LineLimits(5, Map.of(), Map.of()), clock);
        Pacer pacer = new Pacer(leases, new SlidingWindowRateLimiter(
                new RateLimits(new RateLimit(1, 0), Map.of(), Map.of())));
        assertThat(pacer.tryStart("c", "t", T0)).isInstanceOf(Pacer.Started.class);
        Pacer.Result r = pacer.tryStart("c", "t", T0.plusMillis(10));
        assertThat(r).isEqualTo(new Pacer.RateLimited(LimitKey.GLOBAL, T0.plusSeconds(1)));
        assertThat(leases.held()).isEqualTo(1);
    }
}

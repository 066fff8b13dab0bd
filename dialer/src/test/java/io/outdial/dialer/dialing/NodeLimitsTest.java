package io.outdial.dialer.dialing;

import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.support.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLimitsTest {
    private static final Instant T = Instant.parse("2026-11-23T09:00:00Z");
    private final MutableClock clock = new MutableClock(T);

    @Test
    void campaignsJoiningLaterKeepTheLiveLeasesAndShareTheTrunkLimit() {
        NodeLimits limits = new NodeLimits(1000, RateLimit.NONE, clock);
        limits.join("a", "carrier", new NodeLimits.TrunkLimit(2, RateLimit.NONE), 5, RateLimit.NONE);
        Pacer pacer = limits.pacer();
        Pacer.Result first = pacer.tryStart("a", "carrier", T);
        assertThat(first).isInstanceOf(Pacer.Started.class);

        limits.join("b", "carrier", new NodeLimits.TrunkLimit(3, RateLimit.NONE), 5, RateLimit.NONE);

        assertThat(pacer.tryStart("b", "carrier", T)).isInstanceOf(Pacer.Started.class);
        // the tightest definition (2) holds across campaigns, and a's lease from before b joined still counts
        assertThat(pacer.tryStart("b", "carrier", T)).isInstanceOf(Pacer.LineLimited.class);
        assertThat(pacer.tryStart("a", "carrier", T)).isInstanceOf(Pacer.LineLimited.class);
        pacer.finished(((Pacer.Started) first).lease());
        assertThat(pacer.tryStart("b", "carrier", T)).isInstanceOf(Pacer.Started.class);
    }

    @Test
    void aConfiguredTrunkWinsOverDefinitionsAndTheGlobalLimitCoversEveryTrunk() {
        NodeLimits limits = new NodeLimits(3, new RateLimit(0, 0), clock)
            .configureTrunk("carrier", new NodeLimits.TrunkLimit(10, RateLimit.NONE));
        limits.join("a", "carrier", new NodeLimits.TrunkLimit(1, RateLimit.NONE), 10, RateLimit.NONE);
        limits.join("b", "other", new NodeLimits.TrunkLimit(10, RateLimit.NONE), 10, RateLimit.NONE);
        assertThat(limits.trunkLines("carrier")).isEqualTo(10);
        Pacer pacer = limits.pacer();
        assertThat(pacer.tryStart("a", "carrier", T)).isInstanceOf(Pacer.Started.class);
        assertThat(pacer.tryStart("a", "carrier", T)).isInstanceOf(Pacer.Started.class);
        assertThat(pacer.tryStart("b", "other", T)).isInstanceOf(Pacer.Started.class);
        Pacer.Result r = pacer.tryStart("b", "other", T);
        assertThat(r).isInstanceOf(Pacer.LineLimited.class);
        assertThat(((Pacer.LineLimited) r).usage()).hasToString("line limit 3/3 on global");
    }

    @Test
    void theNodeRateLimitHoldsAcrossCampaignsAndLeavingDropsACampaignsOwnLimit() {
        NodeLimits limits = new NodeLimits(100, new RateLimit(2, 0), clock);
        limits.join("a", "t", new NodeLimits.TrunkLimit(10, RateLimit.NONE), 1, RateLimit.NONE);
        limits.join("b", "t", new NodeLimits.TrunkLimit(10, RateLimit.NONE), 10, RateLimit.NONE);
        Pacer pacer = limits.pacer();
        assertThat(pacer.tryStart("a", "t", T)).isInstanceOf(Pacer.Started.class);
        assertThat(pacer.tryStart("b", "t", T)).isInstanceOf(Pacer.Started.class);
        Pacer.Result r = pacer.tryStart("b", "t", T.plusMillis(500));
        assertThat(r).isInstanceOf(Pacer.RateLimited.class);
        assertThat(((Pacer.RateLimited) r).key()).isEqualTo(LimitKey.GLOBAL);

        assertThat(pacer.tryStart("a", "t", T.plusSeconds(2))).as("a's own 1 line")
            .isInstanceOf(Pacer.LineLimited.class);
        limits.leave("a");
        assertThat(pacer.tryStart("a", "t", T.plusSeconds(2))).isInstanceOf(Pacer.Started.class);
    }

    @Test
    void recoveredLiveCallsAreCountedEvenAboveTheLimitAndHoldBackNewCalls() {
        NodeLimits limits = new NodeLimits(1000, RateLimit.NONE, clock);
        limits.join("a", "carrier", new NodeLimits.TrunkLimit(2, RateLimit.NONE), 5, RateLimit.NONE);
        Pacer pacer = limits.pacer();
        Lease l1 = pacer.adoptLive("a", "carrier").toCompletableFuture().join();
        Lease l2 = pacer.adoptLive("a", "carrier").toCompletableFuture().join();
        Lease l3 = pacer.adoptLive("a", "carrier").toCompletableFuture().join();
        assertThat(pacer.usage(LimitKey.trunk("carrier"))).hasToString("line limit 3/2 on trunk carrier");
        pacer.finished(l1);
        assertThat(pacer.tryStart("a", "carrier", T)).as("still 2/2").isInstanceOf(Pacer.LineLimited.class);
        pacer.finished(l2);
        assertThat(pacer.tryStart("a", "carrier", T)).isInstanceOf(Pacer.Started.class);
        pacer.finished(l3);
    }
}

package io.outdial.dialer.app;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.cascade.CascadeComponent;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Two members' shares of running campaigns, with the cascade engine's lease in the same owner map. */
class ClusterOwnershipIT {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    private static Campaign running(String id) {
        Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
        return Campaign.draft(id, id, t0).withState(CampaignState.RUNNING, t0);
    }

    @Test
    void theHolderOfTheCascadeLeaseStillTakesItsShareOfCampaigns() {
        String name = "outdial-it-" + TestConfigs.freePort();
        int portA = TestConfigs.freePort();
        int portB = TestConfigs.freePort();
        ClusterNode a = new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", portA, true,
            List.of("127.0.0.1:" + portB)), Clock.systemUTC());
        ClusterNode b = new ClusterNode(vertx, new ClusterConfig(name, "127.0.0.1", portB, true,
            List.of("127.0.0.1:" + portA)), Clock.systemUTC());
        try {
            Await.result(a.start(), 120);
            Await.result(b.start(), 120);
            assertThat(a.own(CascadeComponent.LEASE, true)).isTrue();
            Set<String> other = Set.of(CascadeComponent.LEASE);
            ClusterOwnership ofA = new ClusterOwnership(a, Clock.systemUTC(), other);
            ClusterOwnership ofB = new ClusterOwnership(b, Clock.systemUTC(), other);

            // B, holding no lease, takes the first campaign; holding one of one, it is above its share for a second
            assertThat(ofB.owns(running("one"))).isTrue();
            assertThat(ofB.owns(running("two"))).as("B owns one of one campaign: the second is A's share").isFalse();
            // A holds the cascade engine's lease but no campaign: the second campaign is its share
            assertThat(ofA.owns(running("two"))).isTrue();
            assertThat(ofA.owns(running("one"))).isFalse();
            assertThat(ofB.owns(running("two"))).isFalse();
        } finally {
            Await.result(b.stop(), 60);
            Await.result(a.stop(), 60);
        }
    }
}

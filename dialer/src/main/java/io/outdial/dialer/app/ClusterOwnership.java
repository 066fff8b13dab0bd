package io.outdial.dialer.app;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.dialing.CampaignOwnership;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Campaign ownership in a cluster: a RUNNING or SCHEDULED campaign is dialed (and moved by its start and end
 * times) only by the node holding its owner lease ({@link ClusterNode#own}), a lease that expires
 * {@code cluster.leaseTtl} after its node's last heartbeat, so a dead node's campaigns are taken over within the
 * TTL plus one reconcile. A node takes an unowned campaign when it owns no more than its share
 * ({@code owned × members ≤ owned by all}), or when the campaign stayed unowned for {@link #UNOWNED_GRACE_MS}
 * (its fair owner is not coming). Campaigns in other states are only shown, by every node, and need no owner.
 */
final class ClusterOwnership implements CampaignOwnership {
    /** How long an unowned campaign waits for a node below its share before any node takes it. */
    static final long UNOWNED_GRACE_MS = 3_000;

    private final ClusterNode cluster;
    private final Clock clock;
    private final Map<String, Long> unownedSince = new ConcurrentHashMap<>();

    ClusterOwnership(ClusterNode cluster, Clock clock) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean owns(Campaign campaign) {
        if (campaign.state() != CampaignState.RUNNING && campaign.state() != CampaignState.SCHEDULED) {
            return true;
        }
        if (cluster.own(campaign.id(), false)) {
            unownedSince.remove(campaign.id());
            return true;
        }
        Map<String, String> owners = cluster.owners();
        if (owners.containsKey(campaign.id())) {
            unownedSince.remove(campaign.id());
            return false;
        }
        long now = clock.millis();
        long since = unownedSince.computeIfAbsent(campaign.id(), id -> now);
        int members = Math.max(1, cluster.memberCount());
        boolean fair = (long) cluster.ownedCount() * members <= owners.size();
        if ((fair || now - since >= UNOWNED_GRACE_MS) && cluster.own(campaign.id(), true)) {
            unownedSince.remove(campaign.id());
            return true;
        }
        return false;
    }
}

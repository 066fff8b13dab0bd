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
 * ({@code campaigns it owns × members ≤ campaigns owned by all}; other leases in the same map, such as the cascade
 * engine's, not counted), or when the campaign stayed unowned for {@link #UNOWNED_GRACE_MS}
 * (its fair owner is not coming). Campaigns in other states are only shown, by every node, and need no owner.
 *
 * <p>Running campaigns are spread again when the nodes' shares drift apart (a node joined, or came back): at most
 * once every {@link #REBALANCE_EVERY_MS}, a node that owns at least two campaigns more than the member owning
 * fewest gives one of them up ({@link ClusterNode#release}); its runner stops as for a pause (calls under way end
 * on it, originates not sent yet are withdrawn) and the node below its share takes the campaign at its next
 * reconcile, with the cluster's line leases and rate windows holding the limits throughout.
 */
final class ClusterOwnership implements CampaignOwnership {
    /** How long an unowned campaign waits for a node below its share before any node takes it. */
    static final long UNOWNED_GRACE_MS = 3_000;
    /** How often a node may give a campaign up to even the shares out. */
    static final long REBALANCE_EVERY_MS = 10_000;
    /** Keys of the owner map that are not campaigns (other leases kept there). */
    private final java.util.Set<String> notCampaigns;

    private final ClusterNode cluster;
    private final Clock clock;
    private final Map<String, Long> unownedSince = new ConcurrentHashMap<>();
    private volatile long lastRebalance;

    /** Ownership over {@code cluster}'s owner leases; {@code notCampaigns} are other leases in the same map. */
    ClusterOwnership(ClusterNode cluster, Clock clock, java.util.Set<String> notCampaigns) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notCampaigns = java.util.Set.copyOf(notCampaigns);
        this.lastRebalance = clock.millis();
    }

    @Override
    public boolean owns(Campaign campaign) {
        if (campaign.state() != CampaignState.RUNNING && campaign.state() != CampaignState.SCHEDULED) {
            return true;
        }
        if (cluster.own(campaign.id(), false)) {
            unownedSince.remove(campaign.id());
            if (aboveShare()) {
                cluster.release(campaign.id());
                return false;
            }
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
        // campaigns only: a node holding another lease (the cascade engine's) has no smaller share of campaigns
        Map<String, String> campaigns = campaignOwners(owners);
        long mine = campaigns.values().stream().filter(cluster.memberId()::equals).count();
        boolean fair = mine * members <= campaigns.size();
        if ((fair || now - since >= UNOWNED_GRACE_MS) && cluster.own(campaign.id(), true)) {
            unownedSince.remove(campaign.id());
            return true;
        }
        return false;
    }

    /**
     * True, at most once every {@link #REBALANCE_EVERY_MS}, when this node owns at least two campaigns more than the
     * member owning fewest (members owning none counted).
     */
    private boolean aboveShare() {
        long now = clock.millis();
        if (now - lastRebalance < REBALANCE_EVERY_MS) {
            return false;
        }
        lastRebalance = now;
        java.util.Set<String> members = cluster.memberIds();
        if (members.size() < 2) {
            return false;
        }
        Map<String, Integer> counts = new java.util.HashMap<>();
        members.forEach(m -> counts.put(m, 0));
        campaignOwners(cluster.owners()).forEach((campaign, owner) -> counts.computeIfPresent(owner, (m, n) -> n + 1));
        int mine = counts.getOrDefault(cluster.memberId(), 0);
        int fewest = counts.values().stream().mapToInt(Integer::intValue).min().orElse(mine);
        return mine - fewest >= 2;
    }

    /** The entries of the owner map that are campaigns. */
    private Map<String, String> campaignOwners(Map<String, String> owners) {
        Map<String, String> campaigns = new java.util.HashMap<>(owners);
        campaigns.keySet().removeAll(notCampaigns);
        return campaigns;
    }
}

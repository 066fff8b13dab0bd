package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;

/**
 * Which campaigns this node dials. One node: all of them ({@link #local()}). A cluster gives each campaign one
 * owner node (e.g. by a lease in the database or the cluster map); {@link CampaignRunners} asks before it applies a
 * campaign's automatic moves or starts its runner, and pauses a runner whose campaign it no longer owns.
 */
@FunctionalInterface
public interface CampaignOwnership {
    /** Whether this node dials {@code campaign} now. Called on a worker thread: may do I/O. */
    boolean owns(Campaign campaign);

    /** Every campaign is dialed here. */
    static CampaignOwnership local() {
        return c -> true;
    }
}

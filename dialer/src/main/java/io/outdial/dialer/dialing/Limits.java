package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import java.util.Collection;

/** The node's line and rate limits from its config and trunks, and a campaign's share of them. */
final class Limits {
    private Limits() {
    }

    /** The node's limits ({@code dialing.maxLines}, rates) with each configured trunk's own. */
    static NodeLimits node(DialingConfig cfg, Collection<Trunk> trunks, PacingBackend backend) {
        NodeLimits limits = new NodeLimits(cfg.maxLines(), new RateLimit(cfg.maxPerSecond(), cfg.maxPerMinute()),
            backend);
        trunks.forEach(t -> limits.configureTrunk(t.name(), new NodeLimits.TrunkLimit(t.maxLines(),
            new RateLimit((int) Math.ceil(t.maxCps()), 0))));
        return limits;
    }

    /** Campaign {@code id} dials through {@code trunkName} within its definition's limits. */
    static void join(NodeLimits limits, String id, String trunkName, TrunkConfig trunk, CampaignSettings s) {
        limits.join(id, trunkName, new NodeLimits.TrunkLimit(trunk.maxLines(),
            new RateLimit((int) Math.ceil(trunk.maxCps()), 0)),
            s.lines().max(LimitKey.campaign(id)), s.rates().limit(LimitKey.campaign(id)));
    }
}

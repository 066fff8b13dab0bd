package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.trunk.TrunkConfig;
import java.util.Map;

/**
 * The {@code limits} section of a campaign definition: lines and call starts of the campaign and of the node.
 * Absent values are null; {@code batch} falls back to the definition's top-level {@code batch}.
 */
record LimitsSection(Long globalLines, Long lines, Long perSecond, Long perMinute, Long batch) {
    LimitsSection {
        whole("globalLines", globalLines, 1000, 1);
        whole("lines", lines, 10, 1);
        whole("perSecond", perSecond, 0, 0);
        whole("perMinute", perMinute, 0, 0);
        whole("batch", batch, 20, 1);
    }

    /** Lines of the node ({@code globalLines}, 1000), of {@code trunk} and of the campaign ({@code lines}, 10). */
    LineLimits lineLimits(String campaignId, TrunkConfig trunk) {
        return new LineLimits(whole("globalLines", globalLines, 1000, 1), Map.of(trunk.name(), trunk.maxLines()),
            Map.of(campaignId, whole("lines", lines, 10, 1)));
    }

    /** Call starts of {@code trunk} and of the campaign ({@code perSecond}, {@code perMinute}; 0 = none). */
    RateLimits rateLimits(String campaignId, TrunkConfig trunk) {
        return new RateLimits(RateLimit.NONE, Map.of(trunk.name(), new RateLimit((int) Math.ceil(trunk.maxCps()), 0)),
            Map.of(campaignId, new RateLimit(whole("perSecond", perSecond, 0, 0),
                whole("perMinute", perMinute, 0, 0))));
    }

    /** Contacts per pick: this section's {@code batch}, else {@code dflt} (the top-level {@code batch}). */
    int batch(int dflt) {
        return whole("batch", batch, dflt, 1);
    }
}

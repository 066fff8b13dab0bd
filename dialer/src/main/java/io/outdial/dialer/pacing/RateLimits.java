package io.outdial.dialer.pacing;

import java.util.Map;

/** Rate limits per level; a trunk or campaign without an entry has none of its own. */
public record RateLimits(RateLimit global, Map<String, RateLimit> trunks, Map<String, RateLimit> campaigns) {
    public RateLimits {
        trunks = Map.copyOf(trunks);
        campaigns = Map.copyOf(campaigns);
    }

    /** The limit at a level. */
    public RateLimit limit(LimitKey key) {
        switch (key.level()) {
            case GLOBAL:
                return global;
            case TRUNK:
                return trunks.getOrDefault(key.id(), RateLimit.NONE);
            case CAMPAIGN:
                return campaigns.getOrDefault(key.id(), RateLimit.NONE);
            default:
                throw new IllegalArgumentException("unknown level " + key.level());
        }
    }
}

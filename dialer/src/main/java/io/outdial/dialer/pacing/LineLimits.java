package io.outdial.dialer.pacing;

import java.util.Map;

/**
 * Maximum concurrent calls per level. A trunk or campaign without an entry is limited only by the others.
 *
 * @param global the most lines overall
 * @param trunks per-trunk maximum
 * @param campaigns per-campaign maximum
 */
public record LineLimits(int global, Map<String, Integer> trunks, Map<String, Integer> campaigns) {
    public LineLimits {
        trunks = Map.copyOf(trunks);
        campaigns = Map.copyOf(campaigns);
        check("global", global);
        trunks.forEach((k, v) -> check("trunk " + k, v));
        campaigns.forEach((k, v) -> check("campaign " + k, v));
    }

    private static void check(String what, int v) {
        if (v < 0) {
            throw new IllegalArgumentException("line limit for " + what + " is " + v + "; expected >= 0");
        }
    }

    /** The limit at a level. */
    public int max(LimitKey key) {
        switch (key.level()) {
            case GLOBAL:
                return global;
            case TRUNK:
                return trunks.getOrDefault(key.id(), Integer.MAX_VALUE);
            case CAMPAIGN:
                return campaigns.getOrDefault(key.id(), Integer.MAX_VALUE);
            default:
                throw new IllegalArgumentException("unknown level " + key.level());
        }
    }
}

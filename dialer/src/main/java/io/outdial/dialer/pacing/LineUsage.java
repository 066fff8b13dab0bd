package io.outdial.dialer.pacing;

/**
 * Lines in use against the limit at one level, e.g. "line limit 30/30 on trunk carrier-a".
 *
 * @param key the level
 * @param inUse lines held
 * @param max the limit ({@link Integer#MAX_VALUE} when unlimited)
 */
public record LineUsage(LimitKey key, int inUse, int max) {
    /** True when no further line can be leased at this level. */
    public boolean full() {
        return inUse >= max;
    }

    @Override
    public String toString() {
        return "line limit " + inUse + "/" + (max == Integer.MAX_VALUE ? "unlimited" : String.valueOf(max)) + " on " + key;
    }
}

package io.outdial.dialer.pacing;

/**
 * Calls started per second and per minute at one level; 0 means no limit for that window.
 *
 * @param perSecond most call starts in any 1-second window
 * @param perMinute most call starts in any 60-second window
 */
public record RateLimit(int perSecond, int perMinute) {
    /** No limit. */
    public static final RateLimit NONE = new RateLimit(0, 0);

    public RateLimit {
        if (perSecond < 0 || perMinute < 0) {
            throw new IllegalArgumentException("rate limit " + perSecond + "/s " + perMinute + "/min is negative");
        }
    }
}

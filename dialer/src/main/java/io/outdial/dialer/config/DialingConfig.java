package io.outdial.dialer.config;

import java.time.Duration;

/**
 * Node-wide dialing limits and how often the node follows the campaign table ({@code dialing} section,
 * docs/configuration.md).
 *
 * @param maxLines          most concurrent calls of the node, all campaigns and trunks together
 * @param maxPerSecond      most call starts of the node in any 1-second window (0 = no limit)
 * @param maxPerMinute      most call starts of the node in any 60-second window (0 = no limit)
 * @param reconcileInterval how often the node reads the campaign table (starts, pauses, schedules)
 * @param counterReadInterval the pause between two periodic reads of a dialing campaign's counters by its runner
 */
public record DialingConfig(int maxLines, int maxPerSecond, int maxPerMinute, Duration reconcileInterval,
                            Duration counterReadInterval) {
    public DialingConfig {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines " + maxLines + " must be at least 1");
        }
        if (maxPerSecond < 0 || maxPerMinute < 0) {
            throw new IllegalArgumentException("maxPerSecond " + maxPerSecond + " / maxPerMinute " + maxPerMinute
                + " must be >= 0 (0 = no limit)");
        }
        if (reconcileInterval == null) {
            reconcileInterval = Duration.ofSeconds(1);
        }
        if (reconcileInterval.toMillis() < 10 || reconcileInterval.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("reconcileInterval " + reconcileInterval
                + " must be between 10ms and 5m");
        }
        if (counterReadInterval == null) {
            counterReadInterval = Duration.ofSeconds(10);
        }
        if (counterReadInterval.toMillis() < 1_000 || counterReadInterval.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("counterReadInterval " + counterReadInterval
                + " must be between 1s and 5m");
        }
    }

    /** The given limits and table read, the counters read every 10 s. */
    public DialingConfig(int maxLines, int maxPerSecond, int maxPerMinute, Duration reconcileInterval) {
        this(maxLines, maxPerSecond, maxPerMinute, reconcileInterval, null);
    }

    /** Defaults: 1000 lines, no node rate limit, the campaign table read every second, the counters every 10 s. */
    public static DialingConfig defaults() {
        return new DialingConfig(1000, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }
}

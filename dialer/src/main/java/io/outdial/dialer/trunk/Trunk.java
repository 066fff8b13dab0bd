package io.outdial.dialer.trunk;

import java.time.Duration;

/**
 * A configured trunk: builds the endpoint for a number and chooses the caller id of an attempt. Immutable and
 * thread-safe. Line and CPS limits are exposed for the pacing layer, which enforces them.
 */
public final class Trunk {
    private final TrunkConfig config;

    /** A trunk from its config. */
    public Trunk(TrunkConfig config) {
        this.config = config;
    }

    /** The trunk's config. */
    public TrunkConfig config() {
        return config;
    }

    /** The trunk's name. */
    public String name() {
        return config.name();
    }

    /**
     * The ARI endpoint for a number, e.g. {@code PJSIP/+15551234567@carrier}.
     *
     * @throws IllegalArgumentException when the number holds characters a dial string must not contain
     */
    public String endpoint(String number) {
        if (number == null || !number.matches("\\+?[0-9*#A-Da-d]{1,32}")) {
            throw new IllegalArgumentException("trunk " + config.name() + ": number \"" + number
                    + "\" is not dialable (expected up to 32 digits, optional leading +)");
        }
        return config.endpointPattern().replace("{number}", number);
    }

    /**
     * The caller id for an attempt, or null when the trunk has none. Without rotation it depends only on the
     * contact, so retries present the same number; with rotation it moves one step per attempt.
     *
     * @param contactKey    a stable key of the contact (its id)
     * @param attemptNumber 1 for the first attempt of the contact, 2 for the first retry, ...
     */
    public String callerIdFor(String contactKey, int attemptNumber) {
        var ids = config.callerIds();
        if (ids.isEmpty()) {
            return null;
        }
        int base = Math.floorMod(contactKey == null ? 0 : stableHash(contactKey), ids.size());
        int step = config.rotateCallerId() ? Math.max(0, attemptNumber - 1) : 0;
        return ids.get(Math.floorMod(base + step, ids.size()));
    }

    /** Ring timeout of originates on this trunk. */
    public Duration originateTimeout() {
        return config.originateTimeout();
    }

    /** Concurrent calls allowed. */
    public int maxLines() {
        return config.maxLines();
    }

    /** New calls per second allowed. */
    public double maxCps() {
        return config.maxCps();
    }

    /** Whether calls on this trunk run AMD before the flow. */
    public boolean amd() {
        return config.amd();
    }

    /** A hash that is the same on every JVM and node (String.hashCode is specified, so it is). */
    private static int stableHash(String s) {
        return s.hashCode();
    }
}

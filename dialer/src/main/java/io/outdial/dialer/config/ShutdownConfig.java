package io.outdial.dialer.config;

import java.time.Duration;

/**
 * Graceful shutdown on SIGTERM ({@code shutdown} section); read through {@link DialerConfig#drainTimeout()}.
 *
 * @param drainTimeout how long live work (calls, in-flight requests) may take to finish before the node closes
 */
record ShutdownConfig(Duration drainTimeout) {
    public ShutdownConfig {
        if (drainTimeout == null || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout " + drainTimeout + " is invalid (expected a duration >= 0)");
        }
    }

    /** Defaults: 30 seconds. */
    public static ShutdownConfig defaults() {
        return new ShutdownConfig(Duration.ofSeconds(30));
    }
}

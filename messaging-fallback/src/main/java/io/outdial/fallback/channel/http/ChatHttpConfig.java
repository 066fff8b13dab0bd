package io.outdial.fallback.channel.http;

import java.time.Duration;

/**
 * HTTP settings shared by the chat and webhook channels.
 *
 * @param attemptTimeout one attempt's limit (default 10 s)
 * @param backoffMin     first wait before a retry (default 200 ms)
 * @param backoffMax     longest wait between retries (default 30 s)
 * @param retryWithin    retries stop after this, or after the block's decision time when shorter (default 10 min)
 */
public record ChatHttpConfig(Duration attemptTimeout, Duration backoffMin, Duration backoffMax,
                             Duration retryWithin) {

    public ChatHttpConfig {
        attemptTimeout = attemptTimeout == null ? Duration.ofSeconds(10) : attemptTimeout;
        backoffMin = backoffMin == null ? Duration.ofMillis(200) : backoffMin;
        backoffMax = backoffMax == null ? Duration.ofSeconds(30) : backoffMax;
        retryWithin = retryWithin == null ? Duration.ofMinutes(10) : retryWithin;
        if (attemptTimeout.toMillis() < 1 || backoffMin.toMillis() < 1 || backoffMax.compareTo(backoffMin) < 0
                || retryWithin.toMillis() < 1) {
            throw new IllegalArgumentException("HTTP settings must be positive and backoffMax >= backoffMin");
        }
    }

    /** The defaults. */
    public static ChatHttpConfig defaults() {
        return new ChatHttpConfig(null, null, null, null);
    }

    /** How long a send may retry: the shorter of retryWithin and the decision time (when known). */
    public Duration budget(Duration decisionTime) {
        return decisionTime == null || decisionTime.compareTo(retryWithin) > 0 ? retryWithin : decisionTime;
    }
}

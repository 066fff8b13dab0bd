package io.outdial.dialer.config;

import java.time.Duration;
import java.util.List;

/**
 * One outbound trunk. Placeholder shape owned by the telephony code.
 *
 * @param name             trunk id
 * @param endpoint         endpoint pattern with {@code {number}}, e.g. {@code PJSIP/{number}@carrier}
 * @param callerIds        caller ids presented on this trunk
 * @param maxLines         concurrent call limit
 * @param maxCps           calls-per-second limit
 * @param originateTimeout how long to ring before giving up
 */
public record TrunkConfig(String name, String endpoint, List<String> callerIds, int maxLines, double maxCps,
                          Duration originateTimeout) {
    public TrunkConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is empty (expected a trunk id)");
        }
        if (endpoint == null || !endpoint.contains("{number}")) {
            throw new IllegalArgumentException("endpoint \"" + endpoint + "\" has no {number} placeholder");
        }
        callerIds = callerIds == null ? List.of() : List.copyOf(callerIds);
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines " + maxLines + " is invalid (expected >= 1)");
        }
        if (!(maxCps > 0)) {
            throw new IllegalArgumentException("maxCps " + maxCps + " is invalid (expected > 0)");
        }
        originateTimeout = originateTimeout == null ? Duration.ofSeconds(30) : originateTimeout;
    }
}

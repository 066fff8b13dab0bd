package io.outdial.dialer.trunk;

import java.time.Duration;
import java.util.List;

/**
 * One trunk ({@code trunks[]} in the configuration, {@code docs/configuration.md}): how numbers are dialed through it and its limits.
 *
 * @param name             unique trunk name
 * @param endpointPattern  ARI endpoint with a {@code {number}} placeholder, e.g. {@code PJSIP/{number}@carrier}
 * @param callerIds        caller ids to present (e.g. {@code +15551234567} or {@code "Acme" <+15551234567>}); may
 *                         be empty (the trunk's default is used)
 * @param rotateCallerId   false (default): a contact always gets the same caller id; true: it changes on each attempt
 * @param maxLines         concurrent calls allowed on the trunk (enforced by the pacing layer)
 * @param maxCps           new calls per second allowed on the trunk (enforced by the pacing layer)
 * @param originateTimeout how long a call may ring before it counts as no answer
 * @param amd              (default false) run answering machine detection before the flow (the {@code dialer-amd} context)
 */
public record TrunkConfig(String name, String endpointPattern, List<String> callerIds, Boolean rotateCallerId,
                          int maxLines, double maxCps, Duration originateTimeout, Boolean amd) {
    public TrunkConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("trunk name must not be blank");
        }
        if (endpointPattern == null || !endpointPattern.contains("{number}") || !endpointPattern.contains("/")) {
            throw new IllegalArgumentException("trunk " + name + ": endpointPattern \"" + endpointPattern
                    + "\" must look like TECH/{number}@peer, e.g. PJSIP/{number}@carrier");
        }
        callerIds = callerIds == null ? List.of() : List.copyOf(callerIds);
        rotateCallerId = rotateCallerId != null && rotateCallerId;
        amd = amd != null && amd;
        for (String cid : callerIds) {
            if (cid == null || cid.isBlank()) {
                throw new IllegalArgumentException("trunk " + name + ": callerIds must not contain blanks");
            }
        }
        if (maxLines < 1) {
            throw new IllegalArgumentException("trunk " + name + ": maxLines " + maxLines + " must be >= 1");
        }
        if (!(maxCps > 0)) {
            throw new IllegalArgumentException("trunk " + name + ": maxCps " + maxCps + " must be > 0");
        }
        if (originateTimeout == null) {
            originateTimeout = Duration.ofSeconds(30);
        }
        if (originateTimeout.isNegative() || originateTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("trunk " + name + ": originateTimeout " + originateTimeout
                    + " must be at least 1 second");
        }
    }
}

package io.outdial.dialer.trunk;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
 * @param endpointPollInterval (default 10s) how often the trunk's ARI endpoint state is read from each server
 *                         (besides on every connect and, with {@code endpointEvents}, on {@code EndpointStateChange})
 * @param breakerFailures  (default 10) consecutive calls failing on the trunk (CHANUNAVAIL/CONGESTION, originate
 *                         HTTP errors) with no call reaching the far end in between that mark it down on that server
 * @param breakerOpenFor   (default 30s) how long a tripped trunk stays down before calls are tried again
 * @param endpointEvents   (default true) subscribe to the endpoint: a state change is pushed at once instead of read
 *                         at the next poll, and the events of every channel on it reach this node, which is how it
 *                         sees the end of calls it took over from a stopped node and of an AMD call that ended
 *                         before its own channel subscription; the price: Asterisk sends every event of those
 *                         channels a second time and, at each call's start and end, a frame listing every channel
 *                         on the endpoint (its size grows with the live calls). False suits a single node without
 *                         AMD
 */
public record TrunkConfig(String name, String endpointPattern, List<String> callerIds, Boolean rotateCallerId,
                          int maxLines, double maxCps, Duration originateTimeout, Boolean amd,
                          Duration endpointPollInterval, Integer breakerFailures, Duration breakerOpenFor,
                          Boolean endpointEvents) {

    /** A trunk with these health settings (and {@code endpointEvents}). */
    public TrunkConfig(String name, String endpointPattern, List<String> callerIds, Boolean rotateCallerId,
                       int maxLines, double maxCps, Duration originateTimeout, Boolean amd,
                       Duration endpointPollInterval, Integer breakerFailures, Duration breakerOpenFor) {
        this(name, endpointPattern, callerIds, rotateCallerId, maxLines, maxCps, originateTimeout, amd,
                endpointPollInterval, breakerFailures, breakerOpenFor, null);
    }

    /** A trunk with the default health settings (10 s endpoint polls, breaker 10 failures / 30 s). */
    public TrunkConfig(String name, String endpointPattern, List<String> callerIds, Boolean rotateCallerId,
                       int maxLines, double maxCps, Duration originateTimeout, Boolean amd) {
        this(name, endpointPattern, callerIds, rotateCallerId, maxLines, maxCps, originateTimeout, amd, null, null,
                null, null);
    }

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
        endpointEvents = endpointEvents == null || endpointEvents;
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
        endpointPollInterval = endpointPollInterval == null ? Duration.ofSeconds(10) : endpointPollInterval;
        if (endpointPollInterval.toMillis() < 100) {
            throw new IllegalArgumentException("trunk " + name + ": endpointPollInterval " + endpointPollInterval
                    + " must be at least 100ms");
        }
        breakerFailures = breakerFailures == null ? 10 : breakerFailures;
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("trunk " + name + ": breakerFailures " + breakerFailures
                    + " must be >= 1");
        }
        breakerOpenFor = breakerOpenFor == null ? Duration.ofSeconds(30) : breakerOpenFor;
        if (breakerOpenFor.isNegative() || breakerOpenFor.isZero()) {
            throw new IllegalArgumentException("trunk " + name + ": breakerOpenFor " + breakerOpenFor
                    + " must be positive");
        }
    }

    /**
     * The endpoint resource the trunk always dials through, from {@link #endpointPattern}: {@code PJSIP/{number}@carrier}
     * and {@code PJSIP/carrier/sip:{number}@host} give {@code PJSIP/carrier}, {@code SIP/carrier/{number}} gives
     * {@code SIP/carrier}; {@code Local/...} channels and patterns without a fixed resource give empty.
     */
    public Optional<EndpointRef> fixedEndpoint() {
        return EndpointRef.ofPattern(endpointPattern);
    }
}

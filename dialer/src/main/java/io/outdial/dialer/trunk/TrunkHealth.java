package io.outdial.dialer.trunk;

import java.util.Optional;

/**
 * Whether a trunk can take calls through one Asterisk server. The campaign runner asks before each originate and
 * says {@code trunk_down} (with this reason) when no server can reach the trunk. Implementations are thread-safe
 * and cheap (no I/O in {@link #down}): they keep a state fed by ARI endpoint states and by call results.
 */
public interface TrunkHealth {
    /**
     * Empty when {@code trunk} can take calls through {@code server}; otherwise one sentence saying why not
     * (e.g. "endpoint PJSIP/carrier is offline since 12:00:03Z").
     */
    Optional<String> down(String server, String trunk);

    /** A health that reports every trunk up (no information). */
    static TrunkHealth alwaysUp() {
        return (server, trunk) -> Optional.empty();
    }
}

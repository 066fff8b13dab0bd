package io.outdial.dialer.ari;

import java.time.Instant;

/**
 * The health of one Asterisk server as this node sees it. UP only when the events websocket is connected,
 * the app is registered and {@code GET /asterisk/info} answers.
 *
 * @param server the server's configured name
 * @param state  STARTING (never connected yet), UP, or DOWN
 * @param detail why it is not UP (e.g. "GET /asterisk/info failed: Connection refused"); when UP, the
 *               Asterisk version and the app (e.g. "Asterisk 22.10.1, app dialer-1")
 * @param since  when the state last changed
 * @param replaced DOWN because another connection took this node's application (Asterisk closed our events
 *                 websocket for a newer one of the same app): another process must give it back
 */
public record AriHealth(String server, State state, String detail, Instant since, boolean replaced) {
    /** Coarse state, what /ready reports. */
    public enum State { STARTING, UP, DOWN }

    public AriHealth {
        if (server == null || state == null || since == null) {
            throw new IllegalArgumentException("health needs server, state and since");
        }
        detail = detail == null ? "" : detail;
    }

    /** Health not caused by a replaced application. */
    public AriHealth(String server, State state, String detail, Instant since) {
        this(server, state, detail, since, false);
    }

    /** True when calls may be originated on this server. */
    public boolean up() {
        return state == State.UP;
    }
}

package io.outdial.fallback.channel.sms;

import java.time.Instant;

/**
 * The health of one SMPP bind, for {@code /ready} and logs.
 *
 * @param smsc      the SMSC's name
 * @param index     the bind's number, from 0
 * @param state     CONNECTING, BOUND or DOWN
 * @param since     when it entered that state
 * @param rebinds   binds after the first
 * @param lastError the last bind or session error, or null
 * @param submitted submit_sm accepted on this bind
 */
public record BindStatus(String smsc, int index, State state, Instant since, int rebinds, String lastError,
                         long submitted) {

    /** Bind states. */
    public enum State {
        /** Connecting or binding. */
        CONNECTING,
        /** Bound as transceiver: sends and receives. */
        BOUND,
        /** Not bound; a rebind is scheduled. */
        DOWN,
        /** Closed by the channel. */
        CLOSED
    }
}

package io.outdial.fallback.channel;

import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.time.Instant;

/** What a channel reports back: a status of a sent message, a reply, or an IVR event of a call. */
public sealed interface ChannelEvent permits ChannelEvent.StatusReport, ChannelEvent.Reply, ChannelEvent.IvrKey,
        ChannelEvent.IvrMessage {

    /** The channel it came from. */
    ChannelType channel();

    /**
     * A status of one provider message (one SMS part).
     *
     * @param providerId the provider's id, as returned in {@link Submitted#providerIds()}
     * @param status     the status
     * @param error      the provider's error code, or null
     * @param at         when the provider says it happened, or when it was received
     */
    record StatusReport(ChannelType channel, String providerId, Status status, String error, Instant at)
            implements ChannelEvent {
    }

    /**
     * A text the recipient sent back. Matched to the latest message sent to that address on that channel.
     *
     * @param from the recipient's address
     * @param to   the address it was sent to (our sender), or null
     * @param text the text
     * @param at   when it was received
     */
    record Reply(ChannelType channel, String from, String to, String text, Instant at) implements ChannelEvent {
    }

    /** A key the callee pressed during a Voice block's call. */
    record IvrKey(ChannelType channel, String providerId, String key, Instant at) implements ChannelEvent {
    }

    /** An IVR {@code message} node's event raised during a Voice block's call. */
    record IvrMessage(ChannelType channel, String providerId, String event, Instant at) implements ChannelEvent {
    }
}

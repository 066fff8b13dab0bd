package io.outdial.fallback.channel;

import io.outdial.fallback.scheme.ChannelType;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * A channel the cascade engine sends through: SMS over SMPP here; Voice, WhatsApp, Viber and webhooks plug in
 * the same way. A channel never blocks the caller's thread.
 */
public interface Channel {

    /** The channel kind this implementation serves. */
    ChannelType type();

    /**
     * Hands a message to the provider. Succeeds once the provider accepted it, with its ids; fails with a
     * {@link SendException}. The message id is the engine's and stays the same if the engine ever asks again.
     */
    Future<Submitted> send(OutboundMessage message);

    /**
     * Where statuses, replies and IVR events go. Set once by the engine before the first send; events may come
     * on any thread, in any order, more than once, and before {@link #send} completes.
     */
    void events(Handler<ChannelEvent> handler);
}

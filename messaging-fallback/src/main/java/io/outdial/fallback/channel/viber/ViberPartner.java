package io.outdial.fallback.channel.viber;

import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.http.Inbound;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * A Viber business-messages partner: how a message to a phone number is sent, and how the partner's
 * delivery reports, seen reports and inbound messages read. One class per partner; {@link InfobipViber} is one.
 */
public interface ViberPartner {

    /** The partner's name, for logs. */
    String name();

    /** The send URL. */
    String sendUrl();

    /** The request headers (authentication, content type). */
    MultiMap headers();

    /** The request body for one message. */
    Buffer body(OutboundMessage message);

    /**
     * The partner's answer to a send: the provider id, or a {@link io.outdial.fallback.channel.SendException}
     * thrown for a refusal (typed, with the partner's code).
     */
    Submitted submitted(OutboundMessage message, int httpStatus, Buffer body);

    /**
     * Authenticates and reads a callback; throws {@link io.outdial.fallback.channel.http.HookRefused} when the
     * request is not the partner's or malformed.
     */
    Inbound callback(byte[] raw, Function<String, String> headers);
}

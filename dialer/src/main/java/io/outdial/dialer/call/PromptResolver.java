package io.outdial.dialer.call;

import io.vertx.core.Future;

/**
 * Turns prompts into media URIs Asterisk can play. The dialer wires it to the ivr TTS cache (render once per
 * engine, voice and text; serve over HTTP as {@code sound:http://...}, at least 28 characters long).
 * Implementations must not block the caller's event loop.
 */
public interface PromptResolver {

    /** The media URI of spoken text, e.g. {@code sound:http://10.0.0.5:8080/prompts/3f2a.wav}. */
    Future<String> resolveTts(String text, String engine, String voice);

    /** The playable URI of a media prompt; {@code prompt:<id>} needs mapping, others pass through. */
    default Future<String> resolveMedia(String uri) {
        return Future.succeededFuture(uri);
    }

    /** A resolver without TTS: media passes through, TTS fails with a clear error. */
    static PromptResolver mediaOnly() {
        return (text, engine, voice) -> Future.failedFuture(new IllegalStateException(
                "no TTS is wired: cannot speak \"" + text + "\" with " + engine + "/" + voice));
    }
}

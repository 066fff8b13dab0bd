package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.OriginateRequest;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events websocket and the media path at once: a Local channel into the doctor's application
 * ({@code Local/s@dialer-doctor}) must bring a StasisStart (events arrive), then a short rendered prompt played on
 * it must end with {@code PlaybackFinished} "done" (Asterisk fetched the node's media URL and could play it).
 */
final class MediaCheck {
    static final String TEXT = "Outdial doctor media check.";
    static final String ENGINE = "freetts";
    static final String VOICE = "kevin16";
    /** Asterisk's HTTP media cache mangles shorter {@code sound:http} URIs. */
    static final int MIN_HTTP_URI = 28;
    /**
     * The longest URL Asterisk's HTTP media cache can keep: it stores each URL as a key of its internal database
     * under the family {@code MediaCache}, and family plus key must stay under 253 bytes; longer URLs are refused
     * with "Family and key length must be less than 253 bytes" by the Asterisk versions that lack the fix.
     */
    static final int MAX_CACHED_URL = 253 - "MediaCache".length() - 3;

    private final ProbeSession session;
    private final String server;
    private final DoctorSetup setup;
    private final Consumer<DoctorCheck> out;

    MediaCheck(ProbeSession session, String server, DoctorSetup setup, Consumer<DoctorCheck> out) {
        this.session = session;
        this.server = server;
        this.setup = setup;
        this.out = out;
    }

    /** What to play, found before the probe channel exists (a first TTS render may take seconds). */
    private record Prompt(String uri, DoctorCheck problem) { }

    Future<Void> run() {
        return prompt().compose(p -> {
            ChannelWatch w = session.watch("media");
            return probe(w, p).eventually(() -> session.end(w));
        });
    }

    private Future<Void> probe(ChannelWatch w, Prompt prompt) {
        Clock clock = setup.clock();
        Instant sent = clock.instant();
        String endpoint = "Local/s@" + DoctorSetup.PROBE_CONTEXT;
        return session.originate(OriginateRequest.toApp(endpoint, w.id(), session.app(), "doctor",
                Duration.ofSeconds(30), null, Map.of()))
            .compose(v -> w.entered(setup.timeout()))
            .transform(ar -> {
                if (ar.failed()) {
                    out.accept(DoctorCheck.error("events", server, "a Local channel into application "
                        + session.app() + " brought no StasisStart: " + ar.cause().getMessage(), "check that "
                        + "app_stasis.so and res_ari_events.so are loaded, that a proxy in front of Asterisk keeps "
                        + "the websocket open, and Asterisk's log for " + endpoint));
                    return Future.succeededFuture();
                }
                ChannelWatch.Outcome o = ar.result();
                if (!o.answered()) {
                    out.accept(DoctorCheck.error("events", server, endpoint + " ended (cause " + o.destroyed().cause()
                        + ") without entering the application", "add the [" + DoctorSetup.PROBE_CONTEXT + "] context "
                        + "of asterisk-config/extensions.conf (exten s: Answer(), Wait(20)) and run "
                        + "\"dialplan reload\""));
                    return Future.succeededFuture();
                }
                out.accept(DoctorCheck.ok("events", server, "events arrive: the StasisStart of a probe channel came "
                    + "after " + Duration.between(sent, clock.instant()).toMillis() + " ms"));
                if (prompt.problem() != null) {
                    out.accept(prompt.problem());
                    return Future.succeededFuture();
                }
                return play(w, prompt.uri());
            });
    }

    private Future<Prompt> prompt() {
        if (!setup.soundDir().isEmpty()) {
            return Future.succeededFuture(new Prompt(null, DoctorCheck.warning("media", server, "prompts come from "
                + "the shared sound directory " + setup.soundDir() + ": not played over HTTP", "make sure Asterisk "
                + "reads the same files at the same path")));
        }
        if (setup.prompts() == null) {
            return Future.succeededFuture(new Prompt(null, DoctorCheck.warning("media", server, "this node renders "
                + "no prompts: media not checked", "run the doctor on a node that serves media (serve)")));
        }
        return setup.prompts().resolveTts(TEXT, ENGINE, VOICE).map(uri -> new Prompt(uri, null))
            .otherwise(e -> new Prompt(null, DoctorCheck.error("media", server, "rendering the probe prompt failed: "
                + e.getMessage(), "check media.dir is writable and the TTS engine works (validate a flow with a tts "
                + "prompt)")));
    }

    /** A warning when {@code url} is longer than the media cache's key limit ({@link #MAX_CACHED_URL}). */
    static java.util.Optional<DoctorCheck> tooLongToCache(String url, String server) {
        if (!url.startsWith("http") || url.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_CACHED_URL) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(DoctorCheck.warning("media-url-length", server, url + " is " + url.length()
            + " characters: Asterisk's media cache keys a URL in its database with a limit of " + MAX_CACHED_URL
            + ", and Asterisk versions without the fix refuse longer ones", "shorten media.baseUrl (a host name or "
            + "address and port, no long path), or upgrade Asterisk"));
    }

    private Future<Void> play(ChannelWatch w, String uri) {
        if (uri.startsWith("sound:http") && uri.length() < MIN_HTTP_URI) {
            out.accept(DoctorCheck.error("media", server, uri + " is " + uri.length() + " characters: Asterisk's HTTP"
                + " media cache cannot play sound:http URIs under " + MIN_HTTP_URI, "set media.baseUrl to a full "
                + "address, e.g. http://10.0.0.5:8080"));
            return Future.succeededFuture();
        }
        String playback = w.id() + "-pb";
        String url = uri.startsWith("sound:") ? uri.substring("sound:".length()) : uri;
        tooLongToCache(url, server).ifPresent(out);
        return session.rest().play(w.id(), playback, List.of(uri))
            .compose(v -> w.playbackFinished(playback, setup.timeout()))
            .transform(ar -> {
                if (ar.succeeded() && "done".equals(ar.result())) {
                    out.accept(DoctorCheck.ok("media", server, "Asterisk fetched and played " + url));
                } else {
                    String why = ar.failed() ? ar.cause().getMessage() : "PlaybackFinished " + ar.result();
                    out.accept(DoctorCheck.error("media", server, "Asterisk could not play " + url + " (" + why + ")",
                        "fetch it from the Asterisk host (curl -I " + url + "): media.baseUrl must be an address the"
                        + " PBX reaches and this node must be serving it; res_http_media_cache, res_curl and "
                        + "format_wav must be loaded"));
                }
                return Future.<Void>succeededFuture();
            });
    }
}

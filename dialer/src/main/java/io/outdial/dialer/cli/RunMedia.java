package io.outdial.dialer.cli;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.server.ProblemHandler;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The prompts of a headless run: TTS rendered into {@code <data>/media} and served, with uploaded-style media, on a
 * small HTTP listener of its own, so the PBX plays {@code say} nodes as {@code sound:http://...} URLs as it does
 * for a server node. Listens on {@code asterisk.mediaHost}:{@code asterisk.mediaPort} (loopback and a free port by
 * default); Asterisk fetches from {@code asterisk.mediaUrl}, by default the listener's own address.
 */
final class RunMedia {
    private final Vertx vertx;
    private final PromptMedia media;
    private final String host;
    private final int port;
    private HttpServer server;

    private RunMedia(Vertx vertx, PromptMedia media, String host, int port) {
        this.vertx = vertx;
        this.media = media;
        this.host = host;
        this.port = port;
    }

    /** Starts the media listener and the TTS cache (blocking: call from main, not from an event loop). */
    static RunMedia start(Vertx vertx, Path dataDir, CampaignFile.Asterisk asterisk, Supplier<TtsRegistry> voices) {
        String host = asterisk == null ? "127.0.0.1" : asterisk.mediaHost();
        int wanted = asterisk == null ? 0 : asterisk.mediaPort();
        String baseUrl = asterisk == null ? "" : asterisk.mediaUrl();
        int[] bound = {0};
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        MediaConfig config = new MediaConfig(baseUrl, dataDir.resolve("media").toString(), "", Duration.ofHours(1));
        PromptMedia media = new PromptMedia(vertx, config, () -> "http://" + reachable + ":" + bound[0], voices,
                null);
        RunMedia run = new RunMedia(vertx, media, host, wanted);
        Router router = Router.router(vertx);
        media.routes(router);
        router.route().failureHandler(new ProblemHandler());
        run.server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(wanted))
                .requestHandler(router);
        bound[0] = run.server.listen().await().actualPort();
        media.start().await();
        return run;
    }

    /** The call engine's prompt resolver. */
    PromptMedia resolver() {
        return media;
    }

    /** Where the PBX fetches media from. */
    String baseUrl() {
        return media.baseUrl();
    }

    Future<Void> stop() {
        return Future.all(server.close(), media.stop()).mapEmpty();
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}

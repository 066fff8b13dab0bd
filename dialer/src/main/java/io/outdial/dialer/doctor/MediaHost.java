package io.outdial.dialer.doctor;

import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The node's media for the command line doctor: the probe prompt is rendered into the configured media directory,
 * and served on the configured HTTP address while the check runs, so Asterisk fetches it from exactly the URL a
 * running node would give it. When the port is taken (a node runs there with the same configuration), that node
 * serves the same files.
 */
final class MediaHost {
    private final PromptMedia media;
    private final HttpServer server;
    private final String baseUrl;
    private final String note;

    private MediaHost(PromptMedia media, HttpServer server, String baseUrl, String note) {
        this.media = media;
        this.server = server;
        this.baseUrl = baseUrl;
        this.note = note;
    }

    public static Future<MediaHost> start(Vertx vertx, DialerConfig config) {
        String host = config.http().host();
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        int[] port = {config.http().port()};
        PromptMedia media = new PromptMedia(vertx, config.media().withDefaultDir(config.database().dataDir()),
            () -> "http://" + reachable + ":" + port[0], TtsRegistry::defaults, null);
        Router router = Router.router(vertx);
        media.routes(router);
        return media.start().compose(v -> {
            if (config.media().usesSoundDir()) {
                return Future.succeededFuture(new MediaHost(media, null, "", ""));
            }
            HttpServer server = vertx.createHttpServer();
            return server.requestHandler(router).listen(config.http().port(), host).map(s -> {
                port[0] = s.actualPort();
                return new MediaHost(media, s, media.baseUrl(), "");
            }).recover(e -> Future.succeededFuture(new MediaHost(media, null, media.baseUrl(), "note: "
                + host + ":" + config.http().port() + " is taken (" + e.getMessage() + "): a running node is "
                + "expected to serve the media")));
        });
    }

    public PromptResolver prompts() {
        return media;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Said before the report when the media is not served by the doctor itself; else empty. */
    public String note() {
        return note;
    }

    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        return closed.eventually(media::stop);
    }
}

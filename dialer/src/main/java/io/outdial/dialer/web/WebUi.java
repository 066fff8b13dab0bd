package io.outdial.dialer.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.outdial.dialer.node.Component;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The web UI for call centres and supervisors (docs/ui.md): a page at {@code /} with its scripts and styles under
 * {@code /ui/} (plain HTML, CSS and ES modules from the class path folder {@code web/}, no build step), which talks
 * to the node's JSON API with the session cookie and the CSRF header, and the live supervision feed
 * {@code GET /api/ui/live} ({@link LiveFeed}), guarded like every {@code /api} route (a signed-in viewer).
 */
public final class WebUi implements Component {
    /** Where the live feed is served. */
    public static final String LIVE_PATH = "/api/ui/live";
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private final LiveFeed feed;

    public WebUi(Vertx vertx, MeterRegistry registry, Clock clock) {
        this.feed = new LiveFeed(vertx, registry, clock);
    }

    @Override
    public String name() {
        return "web-ui";
    }

    /** The live feed (for tests). */
    LiveFeed feed() {
        return feed;
    }

    /**
     * Adds the other nodes' {@code view} to every snapshot of the live feed ({@code nodes}, {@code cluster}:
     * docs/cluster.md) and hands each feed stream that opens to {@code check} (the API guard's
     * {@code endWhenRefused}: the stream is cut once its credentials are revoked or lose the role).
     */
    public WebUi withFeed(UnaryOperator<JsonObject> view, Consumer<RoutingContext> check) {
        feed.withCluster(view).withStreamCheck(check);
        return this;
    }

    @Override
    public void routes(Router router) {
        router.get(LIVE_PATH).handler(feed::open);
        router.get("/").handler(WebUi::index);
        router.get("/ui/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        router.get("/ui/*").handler(StaticHandler.create("web").setCachingEnabled(false)
            .setDirectoryListing(false).setIndexPage("index.html").setDefaultContentEncoding("UTF-8"));
    }

    private static void index(RoutingContext ctx) {
        ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Frame-Options", "DENY")
            .putHeader("X-Content-Type-Options", "nosniff").putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
            .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
        ctx.response().sendFile("web/index.html");
    }

    @Override
    public Future<Void> start() {
        return Future.succeededFuture();
    }
}

package io.outdial.dialer.server;

import java.util.List;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.ready.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP listener: {@code /health}, {@code /ready}, {@code /metrics}, then whatever routes components
 * mount on {@link #router()} before {@link #start()}. While the node starts or drains, requests other than
 * those three get 503 problems, so no new work enters.
 */
public final class DialerHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(DialerHttpServer.class);
    private static final Set<String> OPERATIONS = Set.of("/health", "/ready", "/metrics");

    private final Vertx vertx;
    private final HttpConfig config;
    private final Readiness readiness;
    private final Router router;
    private volatile HttpServer server;

    public DialerHttpServer(Vertx vertx, HttpConfig config, Readiness readiness, PrometheusMeterRegistry registry) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.config = Objects.requireNonNull(config, "config");
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.router = Router.router(vertx);
        ProblemHandler problems = new ProblemHandler();
        router.route().handler(DialerHttpServer::refuseMalformed);
        router.route().handler(this::gate);
        router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/ready").handler(this::ready);
        if (config.metricsToken() != null) {
            router.get("/metrics").handler(this::metricsToken);
        }
        router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
        router.route().failureHandler(problems);
        router.errorHandler(404, problems);
        router.errorHandler(405, problems);
    }

    /** The router; mount component routes here before {@link #start()}. */
    public Router router() {
        return router;
    }

    /** Binds the listener; fails naming {@code http.host}/{@code http.port} when the port is taken. */
    public Future<Integer> start() {
        // HTTP/1.1 only: a client asking to upgrade to cleartext HTTP/2 (Java's HttpClient does by default) is answered
        // in HTTP/1.1; Vert.x's h2c upgrade could garble a large streamed download under load
        HttpServerOptions options = new HttpServerOptions().setHttp2ClearTextEnabled(false);
        if (config.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertificate())
                .setKeyPath(config.tlsKey()));
        }
        return vertx.createHttpServer(options)
            .requestHandler(router)
            .listen(config.port(), config.host())
            .recover(err -> Future.failedFuture(bindFailure(err)))
            .map(s -> {
                server = s;
                LOG.info("HTTP{} listening on {}:{}", config.tls() ? "S" : "", config.host(), s.actualPort());
                return s.actualPort();
            });
    }

    /** The bound port (useful with {@code port: 0}); -1 before start. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    public Future<Void> stop() {
        HttpServer s = server;
        server = null;
        return s == null ? Future.succeededFuture() : s.close();
    }

    /** The first handler: {@link HostHeader#refuseMalformed}, then {@link #refuseNul}, in one step of the router. */
    private static void refuseMalformed(RoutingContext ctx) {
        if (HostHeader.refuseMalformed(ctx)) {
            refuseNul(ctx);
        }
    }

    /**
     * The query parameter {@code name} of a request as a whole number in {@code min..max}; {@code dflt} when it is
     * absent or blank; otherwise refused as {@link InvalidInput} naming the parameter (a 400 through
     * {@link ProblemHandler}). {@code max} of {@link Long#MAX_VALUE} reads as "no upper bound" in the refusal.
     */
    public static long queryNumber(RoutingContext ctx, String name, long dflt, long min, long max) {
        return QueryNumbers.number(name, ctx.request().getParam(name), dflt, min, max);
    }

    /**
     * Pipes {@code request}'s body into {@code file} without holding it in memory, at most {@code limit} bytes:
     * completes with the bytes written (the file ended), or fails with {@code tooLarge}'s error once the body went
     * past the limit, or with the pipe's own failure; a failed pipe ends the file itself. Uploads of contacts and of
     * prompts arrive this way.
     */
    public static Future<Long> receiveInto(HttpServerRequest request, AsyncFile file, long limit,
                                           Supplier<? extends RuntimeException> tooLarge) {
        LimitedFileWrite sink = new LimitedFileWrite(file, limit, tooLarge);
        return request.pipeTo(sink).transform(ar -> ar.succeeded() ? Future.succeededFuture(sink.written())
            : Future.failedFuture(sink.exceeded() ? tooLarge.get() : ar.cause()));
    }

    /**
     * A NUL character is no valid id, name or parameter anywhere: refused with a 400 before any handler (H2 would
     * store it, PostgreSQL refuses it with an SQL error).
     */
    public static void refuseNul(RoutingContext ctx) {
        String uri = ctx.request().uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        if (path.indexOf('\0') >= 0 || path.toLowerCase(java.util.Locale.ROOT).contains("%00")) {
            ctx.fail(new InvalidInput("invalid_request", List.of(new InputProblem("request path", "path",
                path.replace("\0", "\\u0000"), "no NUL character", Reason.INVALID_FORMAT, "the path "
                + path.replace("\0", "\\u0000") + " holds a NUL character (%00)"))));
            return;
        }
        if (query >= 0) {
            for (java.util.Map.Entry<String, String> p : ctx.queryParams()) {
                if (p.getKey().indexOf('\0') >= 0 || p.getValue().indexOf('\0') >= 0) {
                    String name = p.getKey().replace("\0", "\\u0000");
                    ctx.fail(new InvalidInput("invalid_request", List.of(new InputProblem("query parameter", name,
                        p.getValue().replace("\0", "\\u0000"), "no NUL character", Reason.INVALID_FORMAT,
                        "query parameter " + name + " holds a NUL character (%00)"))));
                    return;
                }
            }
        }
        ctx.next();
    }

    /** {@code /metrics} with {@code http.metricsToken} set: only with {@code Authorization: Bearer <token>}. */
    private void metricsToken(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        String expected = "Bearer " + config.metricsToken();
        if (auth == null || !java.security.MessageDigest.isEqual(auth.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            expected.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            ctx.fail(new ProblemException(401, "unauthenticated", "/metrics needs Authorization: Bearer"
                + " <http.metricsToken>", null));
            return;
        }
        ctx.next();
    }

    private void gate(RoutingContext ctx) {
        Readiness.Phase phase = readiness.phase();
        if (phase == Readiness.Phase.RUNNING || OPERATIONS.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String why = phase == Readiness.Phase.DRAINING ? "the node is shutting down" : "the node is starting";
        ctx.fail(new ProblemException(503, "unavailable", why + "; retry on another node or later", null));
    }

    private void ready(RoutingContext ctx) {
        readiness.render().onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, Readiness.ready(ar.result()) ? 200 : 503, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    private Throwable bindFailure(Throwable err) {
        // Only "address already in use" is a taken port; a host that is not this machine's ("cannot assign
        // requested address") or a privileged port is a BindException too, with its own cause.
        String message = String.valueOf(err.getMessage());
        if (config.tls() && !(err instanceof java.net.BindException)) {
            return new IllegalStateException("http.tlsCertificate " + config.tlsCertificate() + " / http.tlsKey "
                + config.tlsKey() + " cannot be used: " + message, err);
        }
        boolean inUse = message.toLowerCase(java.util.Locale.ROOT).contains("address already in use");
        String cause = inUse
            ? "is already in use (choose another with DIALER_HTTP_PORT or http.port in the config file)"
            : "cannot be bound: " + message + " (check DIALER_HTTP_HOST or http.host)";
        return new IllegalStateException("http.port " + config.port() + " on http.host " + config.host() + " " + cause,
            err);
    }
}

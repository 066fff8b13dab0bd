package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.CalleeScripts;
import io.outdial.sandbox.pbx.Faults;
import io.outdial.sandbox.pbx.PbxClock;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hosts the sandbox PBX on its own Vert.x context: HTTP server, router, auth, websocket, faults. */
public final class PbxVerticle extends VerticleBase {

    private static final Logger LOG = LoggerFactory.getLogger(PbxVerticle.class);

    private final SandboxPbxOptions options;
    private final CalleeScripts scripts;
    private final FaultState faults;
    private volatile Engine engine;
    private volatile PbxClock clock;
    private volatile Path recordingsDir;
    private volatile int port;
    private Router router;
    private HttpServer server;

    public PbxVerticle(SandboxPbxOptions options) {
        this.options = options;
        this.scripts = new CalleeScripts(options.defaultScripts());
        this.faults = new FaultState(this);
    }

    @Override
    public Future<?> start() {
        clock = PbxClock.scaled(vertx, options.timeScale());
        return vertx.executeBlocking(() -> options.recordingsDir() != null
                ? Files.createDirectories(options.recordingsDir())
                : Files.createTempDirectory("outdial-sandbox-recordings"))
            .compose(dir -> {
                recordingsDir = dir;
                Engine e = new Engine(options, clock, scripts);
                e.media = new Media(e, vertx, dir);
                e.bridges = new Bridges(e);
                e.onContext = this::onContext;
                engine = e;
                router = Router.router(vertx);
                // Asterisk's HTTP server dates every reply (the doctor reads the PBX clock from it)
                router.route("/ari/*").handler(ctx -> {
                    var now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
                        .plusNanos(e.clockSkewMillis * 1_000_000);
                    ctx.response().putHeader("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(now));
                    ctx.next();
                });
                router.route("/ari/*").handler(this::authenticate);
                router.route("/ari/*").handler(faults::handle);
                router.get("/ari/events").handler(this::events);
                router.post("/ari/*").handler(BodyHandler.create(false));
                router.delete("/ari/*").handler(BodyHandler.create(false));
                router.put("/ari/*").handler(BodyHandler.create(false));
                new Rest(e).mount(router);
                router.route("/ari/*").last().handler(ctx -> ctx.response().setStatusCode(404)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("message", "Resource not found").encode()));
                if (options.port() == 0) {
                    return listen(0);
                }
                // a named port (a PBX process started again on its port) may be held for a moment, as in up()
                port = options.port();
                Promise<Void> bound = Promise.promise();
                listenAgain(REBIND_TRIES, bound);
                return bound.future();
            });
    }

    private Future<Void> listen(int wanted) {
        server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setPort(wanted));
        return server.requestHandler(router).listen().map(s -> {
            port = s.actualPort();
            LOG.info("sandbox PBX listening on http://{}:{}/ari (time scale {})", options.host(), port,
                options.timeScale());
            return null;
        });
    }

    @Override
    public Future<?> stop() {
        Engine e = engine;
        if (e != null) {
            e.apps.closeAll();
            e.dropAll();
        }
        return (server == null ? Future.succeededFuture() : server.close())
            .compose(x -> e == null ? Future.succeededFuture() : e.media.close())
            .compose(x -> options.recordingsDir() != null || recordingsDir == null ? Future.succeededFuture()
                : vertx.executeBlocking(() -> deleteTemporary(recordingsDir)));
    }

    /** The temporary recordings folder this PBX made goes with it (a folder the caller named is kept). */
    private static Void deleteTemporary(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        return null;
    }

    private void authenticate(RoutingContext ctx) {
        String expected = options.username() + ":" + options.password();
        String apiKey = ctx.queryParams().get("api_key");
        String header = ctx.request().getHeader("Authorization");
        boolean ok = expected.equals(apiKey);
        if (!ok && header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                ok = expected.equals(new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                ok = false;
            }
        }
        if (ok) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"Asterisk REST Interface\"")
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", "Authentication required").encode());
        }
    }

    private void events(RoutingContext ctx) {
        String names = ctx.queryParams().get("app");
        if (names == null || names.isEmpty()) {
            ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", "Missing param 'app'").encode());
            return;
        }
        for (String name : names.split(",")) {
            if (!options.allowedApps().isEmpty() && !options.allowedApps().contains(name)) {
                ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("message", "App " + name + " is not allowed").encode());
                return;
            }
        }
        ctx.request().toWebSocket().onSuccess(ws -> {
            boolean subscribeAll = "true".equalsIgnoreCase(ctx.queryParams().get("subscribeAll"));
            engine.apps.connect(java.util.List.of(names.split(",")), ws, subscribeAll);
            LOG.info("events websocket connected for app {}", names);
        }).onFailure(err -> LOG.warn("events websocket upgrade failed for app {}: {}", names, err.toString()));
    }

    void onContext(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    Future<Void> down() {
        Promise<Void> done = Promise.promise();
        onContext(() -> {
            engine.apps.closeAll();
            engine.dropAll();
            server.close().onComplete(done);
        });
        return done.future();
    }

    /**
     * How many times {@link #up()} (and a start on a named port) tries the port while another socket holds it, every
     * {@link #REBIND_STEP_MS} ms.
     */
    static final int REBIND_TRIES = 100;
    static final long REBIND_STEP_MS = 100;

    Future<Void> up() {
        Promise<Void> done = Promise.promise();
        onContext(() -> listenAgain(REBIND_TRIES, done));
        return done.future();
    }

    /**
     * Listens on the same port again. While it was closed, another process on the machine may have been given that
     * port for a moment (an outgoing connection's local port comes from the same range as a port 0 listener's): the
     * bind is tried again every {@link #REBIND_STEP_MS} ms, at most {@code tries} times, before {@code done} fails.
     */
    private void listenAgain(int tries, Promise<Void> done) {
        listen(port).onComplete(ar -> {
            if (ar.succeeded() || tries <= 1 || !(ar.cause() instanceof java.net.BindException)) {
                done.handle(ar);
                return;
            }
            server.close(); // never listened
            LOG.info("sandbox PBX port {} is held by another socket; trying again", port);
            vertx.setTimer(REBIND_STEP_MS, t -> listenAgain(tries - 1, done));
        });
    }

    io.vertx.core.Vertx vertx() {
        return vertx;
    }

    Engine engine() {
        return engine;
    }

    public SandboxPbxOptions options() {
        return options;
    }

    public CalleeScripts scripts() {
        return scripts;
    }

    public Faults faults() {
        return faults;
    }

    public PbxClock clock() {
        return clock;
    }

    public int port() {
        return port;
    }

    public Path recordingsDir() {
        return recordingsDir;
    }

    public int liveChannels() {
        return engine.liveChannels;
    }

    public int liveCalls() {
        return engine.liveCalls;
    }

    public long originates() {
        return engine.originates;
    }

    public io.outdial.sandbox.pbx.PbxLog log() {
        return engine.log;
    }

    /** Reads the app registry on the PBX context; safe from any thread (answers a snapshot). */
    public boolean appRegistered(String name) {
        return engine.apps.names().contains(name);
    }
}

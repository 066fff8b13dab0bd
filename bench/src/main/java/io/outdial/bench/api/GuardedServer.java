package io.outdial.bench.api;

import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One loopback HTTP server, on a Vert.x instance of its own, with the same small JSON handler on three routes:
 * {@code /open/campaigns/c1/contacts} without the API's guard, the same behind one no-op handler
 * ({@code /pass/...}), and {@code /api/v1/campaigns/c1/contacts} behind {@link ApiSecurity} with the node's role
 * table (viewer); and a valid viewer token in an in-memory H2 database with the node's migrations. The requests are
 * sent by {@link GuardedClient}, in this JVM or in another. The API's own {@code GET /api/v1/campaigns} (the
 * campaigns read from the database on the API's worker) is served twice: on this server behind the guard, and on a
 * second loopback server that has the API's routes without the guard ({@link #apiPort()}).
 */
final class GuardedServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final HttpServer apiServer;
    private final ApiRoutes guardedApi;
    private final ApiRoutes openApi;
    /** The plain viewer token the guarded route accepts. */
    final String token;

    GuardedServer(String dbName) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + dbName + ";DB_CLOSE_DELAY=-1" + DatabaseConfig.H2_COMPAT);
        ds.setUser("sa");
        Database.migrate(ds);
        // the node's own role table (every operation of the API), so the look-up costs what it costs in a node
        ApiSecurity security = new ApiSecurity(vertx, () -> ds, Clock.systemUTC(), new HttpConfig("127.0.0.1", 0));
        token = security.createToken("bench", Role.VIEWER, "bench", null);
        Router router = Router.router(vertx);
        security.install(router);
        router.get("/api/v1/campaigns/:id/contacts").handler(GuardedServer::answer);
        router.get("/open/campaigns/:id/contacts").handler(GuardedServer::answer);
        router.route("/pass/*").handler(RoutingContext::next); // one extra handler that checks nothing
        router.get("/pass/campaigns/:id/contacts").handler(GuardedServer::answer);
        Path work = Files.createTempDirectory(dbName);
        guardedApi = api(ds, work.resolve("guarded"));
        guardedApi.routes(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        openApi = api(ds, work.resolve("open"));
        Router open = Router.router(vertx);
        openApi.routes(open);
        apiServer = vertx.createHttpServer().requestHandler(open).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The node's API routes on {@code ds}, started (no campaign runs here: no runner, no drain). */
    private ApiRoutes api(JdbcDataSource ds, Path work) throws Exception {
        ApiRoutes api = new ApiRoutes(vertx, () -> ds, Clock.systemUTC(), work, id -> Optional.empty(), () -> "bench",
            ApiRoutes.DEFAULT_MAX_UPLOAD, null).withImportReaders(Runnable::run); // no import runs here
        api.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return api;
    }

    private static void answer(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end("{\"items\":[],\"total\":0}");
    }

    int port() {
        return server.actualPort();
    }

    /** The port of the server with the API's routes and no guard. */
    int apiPort() {
        return apiServer.actualPort();
    }

    @Override
    public void close() throws Exception {
        apiServer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        guardedApi.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        openApi.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.outdial.dialer.api;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.server.ProblemHandler;
import io.outdial.dialer.support.TestAuth;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The API component alone on its own HTTP server on loopback (no node, no runners): for API tests that need only a
 * database. {@link #close()} stops the component and its Vert.x.
 */
final class ApiTestServer implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final ApiRoutes api;
    final ApiTestClient http;
    final ApiSecurity security;

    ApiTestServer(DataSource ds, Clock clock, Path uploads, long maxUpload) {
        this(ds, clock, uploads, maxUpload, a -> a);
    }

    /** @param setup configures the component before it starts (limits, import readers) */
    ApiTestServer(DataSource ds, Clock clock, Path uploads, long maxUpload,
                  java.util.function.UnaryOperator<ApiRoutes> setup) {
        api = setup.apply(new ApiRoutes(vertx, () -> ds, clock, uploads, id -> Optional.empty(), () -> "n1", maxUpload,
            null).withImportReaders(java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-import");
                t.setDaemon(true);
                return t;
            })));
        Router router = Router.router(vertx);
        router.route().handler(io.outdial.dialer.server.DialerHttpServer::refuseNul); // as the node's HTTP server
        security = new ApiSecurity(vertx, () -> ds, clock, new HttpConfig("127.0.0.1", 0));
        security.install(router); // as DialerApp: the guard before every API route
        api.routes(router);
        router.route().failureHandler(new ProblemHandler());
        api.start().toCompletionStage().toCompletableFuture().join();
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().join();
        http = new ApiTestClient(server.actualPort(), TestAuth.token(ds, Role.ADMIN));
    }

    @Override
    public void close() {
        api.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}

package io.outdial.bench.api;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.AuthStore;
import io.outdial.dialer.auth.LoginThrottle;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.auth.RoutePolicy;
import io.outdial.dialer.server.HttpConfig;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One loopback HTTP server with the same small JSON handler on three routes: {@code /open/campaigns/c1/contacts}
 * without the API's guard (asked with and without the token's {@code Authorization} header), the same behind one
 * no-op handler, and {@code /api/v1/campaigns/c1/contacts} behind {@link ApiSecurity} with the node's role table
 * (viewer), a client, and a valid viewer token in an in-memory H2 database with the node's migrations.
 */
final class GuardedServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final HttpClient client;
    final RequestOptions open;
    final RequestOptions guarded;
    final RequestOptions passThrough;
    /** The unguarded GET carrying the same {@code Authorization} header (ignored): what sending the token costs. */
    final RequestOptions openWithToken;

    GuardedServer(String dbName) throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + dbName + ";DB_CLOSE_DELAY=-1" + DatabaseConfig.H2_COMPAT);
        ds.setUser("sa");
        Database.migrate(ds);
        String token = new AuthStore(ds, Clock.systemUTC()).createToken("bench", Role.VIEWER, "bench", null).plain();
        // the node's own role table (every operation of the API), so the look-up costs what it costs in a node
        ApiSecurity security = new ApiSecurity(vertx, () -> ds, Clock.systemUTC(), new HttpConfig("127.0.0.1", 0),
            RoutePolicy.load(), LoginThrottle.defaults(Clock.systemUTC()));
        Router router = Router.router(vertx);
        security.install(router);
        router.get("/api/v1/campaigns/:id/contacts").handler(GuardedServer::answer);
        router.get("/open/campaigns/:id/contacts").handler(GuardedServer::answer);
        router.route("/pass/*").handler(RoutingContext::next); // one extra handler that checks nothing
        router.get("/pass/campaigns/:id/contacts").handler(GuardedServer::answer);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
        open = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort())
            .setURI("/open/campaigns/c1/contacts");
        passThrough = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(server.actualPort()).setURI("/pass/campaigns/c1/contacts");
        openWithToken = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(server.actualPort()).setURI("/open/campaigns/c1/contacts")
            .putHeader("Authorization", "Bearer " + token);
        guarded = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort())
            .setURI("/api/v1/campaigns/c1/contacts").putHeader("Authorization", "Bearer " + token);
        if (get(guarded).length() == 0 || get(open).length() == 0) {
            throw new IllegalStateException("the benchmark routes answer nothing");
        }
    }

    private static void answer(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end("{\"items\":[],\"total\":0}");
    }

    /** One GET, waited for; fails unless 200. */
    Buffer get(RequestOptions options) throws Exception {
        return client.request(options).compose(req -> req.send().compose(res -> {
            if (res.statusCode() != 200) {
                throw new IllegalStateException("status " + res.statusCode());
            }
            return res.body();
        })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.outdial.dialer.server;

import io.outdial.dialer.support.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the router's failure handler answers faults that are not bugs of the server. */
class ProblemHandlerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private int serve(Throwable failure) {
        Router router = Router.router(vertx);
        router.get("/fail").handler(ctx -> ctx.fail(failure));
        router.route().failureHandler(new ProblemHandler());
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        return server.actualPort();
    }

    @Test
    void aDatabaseOutageIs503WithRetryAfterNot500() {
        // what a store throws when HikariCP has no connection to give within its timeout
        int port = serve(new IllegalStateException("listing campaigns failed",
            new SQLTransientConnectionException("outdial-db - Connection is not available, request timed out")));

        HttpResponse<String> r = Http.get(port, "/fail");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains(String.valueOf(ProblemHandler.RETRY_AFTER_SECONDS));
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("database_unavailable");
    }

    @Test
    void aConnectionLostMidQueryIs503Too() {
        int port = serve(new RuntimeException(new SQLException("An I/O error occurred while sending", "08006")));

        assertThat(Http.get(port, "/fail").statusCode()).isEqualTo(503);
    }

    @Test
    void aNulRefusedByPostgresqlIs400() {
        int port = serve(new RuntimeException(new SQLException(
            "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021")));

        HttpResponse<String> r = Http.get(port, "/fail");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("message")).contains("NUL");
    }

    @Test
    void anyOtherFaultIsStillA500() {
        int port = serve(new IllegalStateException("a bug"));

        assertThat(Http.get(port, "/fail").statusCode()).isEqualTo(500);
    }
}

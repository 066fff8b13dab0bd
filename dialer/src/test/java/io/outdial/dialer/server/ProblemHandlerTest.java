package io.outdial.dialer.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import io.outdial.dialer.support.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** How the router's failure handler answers bad input (400), outages (503) and faults of the node (500). */
class ProblemHandlerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private int serve(Throwable failure) {
        Router router = Router.router(vertx);
        router.get("/fail").handler(ctx -> ctx.fail(failure));
        router.get("/throw").handler(ctx -> {
            throw new IllegalArgumentException("index -1 out of bounds (a bug, not the client's input)");
        });
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

    @Test
    void invalidInputIs400ListingEachProblemWithSourcePathValueExpectedAndReason() {
        int port = serve(new InvalidInput(InvalidInput.INVALID_FIELD, List.of(
            new InputProblem("campaign definition", "$.limits.lines", "0", "at least 1", Reason.OUT_OF_RANGE,
                "campaign definition: field lines is 0, must be at least 1"),
            new InputProblem("campaign definition", "$.attempts.rules[2].outcome", "SLEEPY", "one of [BUSY, ...]",
                Reason.NOT_ALLOWED, "campaign definition: attempts.rules outcome \"SLEEPY\" is not one of ..."))));

        HttpResponse<String> r = Http.get(port, "/fail");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("error")).isEqualTo("invalid_field");
        assertThat(body.getString("field")).isEqualTo("limits.lines");
        assertThat(body.getString("message")).contains("field lines is 0").contains("SLEEPY");
        JsonArray problems = body.getJsonArray("problems");
        assertThat(problems).hasSize(2);
        assertThat(problems.getJsonObject(0)).isEqualTo(new JsonObject().put("source", "campaign definition")
            .put("path", "$.limits.lines").put("field", "limits.lines").put("value", "0")
            .put("expected", "at least 1").put("reason", "out_of_range")
            .put("message", "campaign definition: field lines is 0, must be at least 1"));
        assertThat(problems.getJsonObject(1).getString("field")).isEqualTo("attempts.rules");
        assertThat(problems.getJsonObject(1).getString("reason")).isEqualTo("not_allowed");
    }

    @Test
    void aBareIllegalArgumentExceptionFromAHandlerIsA500WithAnErrorIdThatIsLoggedWithTheStackTrace() {
        Logger log = (Logger) LoggerFactory.getLogger(ProblemHandler.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            int port = serve(new IllegalStateException("unused"));

            HttpResponse<String> r = Http.get(port, "/throw");

            assertThat(r.statusCode()).isEqualTo(500);
            JsonObject body = new JsonObject(r.body());
            assertThat(body.getString("error")).isEqualTo("internal_error");
            assertThat(body.getString("message")).doesNotContain("index -1");
            String errorId = body.getString("errorId");
            assertThat(errorId).isNotBlank();
            assertThat(logged.list).anySatisfy(e -> {
                assertThat(e.getFormattedMessage()).contains(errorId).contains("/throw");
                assertThat(e.getThrowableProxy().getClassName()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(e.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
            });
        } finally {
            log.detachAppender(logged);
        }
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.node.Component;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/** A whole node on loopback: operations endpoints, component routes, JSON problems. */
class DialerAppIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static int port;
    static boolean componentStarted;
    static final java.time.Clock CLOCK = java.time.Clock.fixed(java.time.Instant.parse("2026-03-29T01:30:00Z"),
        java.time.ZoneOffset.UTC);

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir), CLOCK);
        app.add(new Component() {
            @Override
            public String name() {
                return "test-routes";
            }

            @Override
            public void routes(Router router) {
                router.post("/test/echo").handler(BodyHandler.create())
                    .handler(ctx -> ctx.json(ctx.body().asJsonObject()));
                router.get("/test/bad").handler(ctx -> {
                    throw ProblemException.badRequest("phone", "phone \"+1 55\" is not a valid number");
                });
                router.get("/test/boom").handler(ctx -> {
                    throw new IllegalStateException("secret internals");
                });
            }

            @Override
            public Future<Void> start() {
                componentStarted = true;
                app.readiness().register("gateway:sms", () -> Future.succeededFuture(
                    DependencyStatus.simulated("sandbox SMSC")));
                return Future.succeededFuture();
            }
        });
        Await.result(app.start(), 120);
        port = app.httpPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            Await.result(app.stop(), 60);
        }
    }

    @Test
    void healthAnswersUp() {
        HttpResponse<String> r = Http.get(port, "/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("UP");
    }

    @Test
    void readyListsDatabaseClusterAndRegisteredDependencies() {
        HttpResponse<String> r = Http.get(port, "/ready");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("dependencies").stream().map(o -> ((JsonObject) o).getString("name")))
            .containsExactly("database", "cluster", "gateway:sms");
        JsonObject db = body.getJsonArray("dependencies").getJsonObject(0);
        assertThat(db.getString("state")).isEqualTo("UP");
        assertThat(db.getString("detail")).contains("H2");
        assertThat(body.getJsonArray("dependencies").getJsonObject(2).getString("state")).isEqualTo("SIMULATED");
        assertThat(componentStarted).isTrue();
    }

    @Test
    void metricsServePrometheusTextWithJvmVertxAndHttpMeters() {
        Http.get(port, "/health");
        HttpResponse<String> r = Http.get(port, "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).contains("text/plain"));
        assertThat(r.body()).contains("jvm_memory_used_bytes", "vertx_http_server_requests_total",
            "process_uptime_seconds", "hikaricp_connections_max");
    }

    @Test
    void badInputIsA400ProblemNamingTheField() {
        HttpResponse<String> r = Http.get(port, "/test/bad");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject()
            .put("error", "invalid_field").put("message", "phone \"+1 55\" is not a valid number").put("field", "phone"));
    }

    @Test
    void malformedJsonIsA400NotA500() {
        HttpResponse<String> r = Http.post(port, "/test/echo", "{not json");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("malformed_json");
    }

    @Test
    void unknownPathIsA404Problem() {
        HttpResponse<String> r = Http.get(port, "/nope");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("not_found");
    }

    @Test
    void unexpectedFaultIsA500ThatHidesTheDetails() {
        HttpResponse<String> r = Http.get(port, "/test/boom");

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("secret internals").contains("internal_error");
    }

    @Test
    void startIsRecordedInTheDatabaseAtTheClocksTime() {
        java.time.OffsetDateTime at = Await.result(app.database().withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT started_at FROM node_start WHERE node_id = '" + app.cluster().memberId() + "'")) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, java.time.OffsetDateTime.class);
            }
        }));
        assertThat(at.toInstant()).isEqualTo(CLOCK.instant());
    }
}

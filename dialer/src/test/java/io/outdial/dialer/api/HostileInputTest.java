package io.outdial.dialer.api;

import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.MutableClock;
import io.outdial.dialer.support.SqlCount;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input gets a 4xx naming what is wrong, the same on H2 and PostgreSQL, and nothing is stored. */
class HostileInputTest {
    @TempDir
    Path dir;
    private ApiTestServer server;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Supplier<DataSource>) MigratedDatabases::h2),
            Arguments.of("PostgreSQL", (Supplier<DataSource>) MigratedDatabases::postgres));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiTestClient serve(DataSource ds) {
        server = new ApiTestServer(ds, new MutableClock(Instant.parse("2026-11-23T10:00:00Z")), dir.resolve("up"),
            1_000_000);
        return server.http;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aNulCharacterInAnIdAParameterOrANameIs400(String engine, Supplier<DataSource> db) {
        DataSource ds = db.get();
        ApiTestClient http = serve(ds);

        for (String path : new String[] {"/api/v1/campaigns/a%00b", "/api/v1/campaigns/a%00b/contacts",
            "/api/v1/campaigns/a%00b/preflight", "/api/v1/imports/1%00", "/api/v1/stop-list/a%00b"}) {
            ApiTestClient.Res r = http.get(path);
            assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().getString("message")).contains("NUL");
        }
        ApiTestClient.Res query = http.get("/api/v1/campaigns?state=RUN%00NING");
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.json().getString("field")).isEqualTo("state");
        assertThat(http.delete("/api/v1/stop-list/global/%2B15550001%00").status()).isEqualTo(400);

        ApiTestClient.Res name = http.postJson("/api/v1/campaigns", new JsonObject().put("id", "c1")
            .put("name", "spring\u0000sale"));
        assertThat(name.status()).as(name.body()).isEqualTo(400);
        assertThat(name.json().getString("message")).contains("field name holds a NUL character");
        ApiTestClient.Res id = http.postJson("/api/v1/campaigns", new JsonObject().put("id", "c\u00001"));
        assertThat(id.status()).as(id.body()).isEqualTo(400);
        ApiTestClient.Res nested = http.postJson("/api/v1/campaigns", new JsonObject().put("id", "c2")
            .put("trunk", new JsonObject().put("callerIds", new io.vertx.core.json.JsonArray().add("+1\u0000"))));
        assertThat(nested.status()).as(nested.body()).isEqualTo(400);
        assertThat(nested.json().getString("message")).contains("trunk.callerIds[0]");

        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM campaign")).as("nothing stored").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anOutOfRangePriorityIs400(String engine, Supplier<DataSource> db) {
        DataSource ds = db.get();
        ApiTestClient http = serve(ds);

        ApiTestClient.Res r = http.post("/api/v1/campaigns", "{\"id\": \"c1\", \"priority\": 2147483648}",
            "application/json");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().getString("message")).contains("priority is 2147483648, out of range");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM campaign")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void duplicateKeysAreRefusedWithTheKeysPath(String engine, Supplier<DataSource> db) {
        DataSource ds = db.get();
        ApiTestClient http = serve(ds);

        ApiTestClient.Res json = http.post("/api/v1/campaigns",
            "{\"id\": \"c1\", \"limits\": {\"lines\": 3, \"lines\": 300}}", "application/json");
        assertThat(json.status()).as(json.body()).isEqualTo(400);
        assertThat(json.json().getString("message")).contains("duplicate key \"lines\" at $.limits.lines");
        ApiTestClient.Res yaml = http.post("/api/v1/campaigns", "id: c1\nname: a\nname: b\n", "application/yaml");
        assertThat(yaml.status()).as(yaml.body()).isEqualTo(400);
        assertThat(yaml.json().getString("message")).contains("duplicate key \"name\" at $.name")
            .doesNotContain("\n");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM campaign")).isZero();
    }

    @org.junit.jupiter.api.Test
    void duringADatabaseOutageRequestsAre503WithRetryAfterAndRefusedAtOnce() {
        DataSource h2 = MigratedDatabases.h2();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger();
        DataSource ds = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                if (method.getName().equals("getConnection") && down.get()) {
                    tries.incrementAndGet(); // what HikariCP throws after its connect timeout
                    throw new java.sql.SQLTransientConnectionException("outdial-db - Connection is not available");
                }
                try {
                    return method.invoke(h2, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        ApiTestClient http = serve(ds);
        assertThat(http.get("/api/v1/campaigns").status()).isEqualTo(200);

        down.set(true);
        java.net.http.HttpResponse<String> first = io.outdial.dialer.support.Http.get(http.port(), "/api/v1/campaigns",
            http.token());
        ApiTestClient.Res second = http.get("/api/v1/campaigns/c1");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(first.body()).getString("error")).isEqualTo("database_unavailable");
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.json().getString("error")).isEqualTo("database_unavailable");
        assertThat(tries.get()).as("the second request did not wait for the database").isEqualTo(1);
    }

    @org.junit.jupiter.api.Test
    void aFlowFileCannotBeNamedOverTheApiSoNoServerFileIsReadOrEchoed() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        ApiTestClient http = serve(ds);
        Path secret = dir.resolve("secret.txt");
        java.nio.file.Files.writeString(secret, "topSecretToken42 and more\n");

        for (String flow : new String[] {secret.toString(), "../secret.txt", "flow.yaml"}) {
            ApiTestClient.Res r = http.postJson("/api/v1/campaigns", new JsonObject().put("id", "c1").put("flow", flow));
            assertThat(r.status()).as(flow + ": " + r.body()).isEqualTo(400);
            assertThat(r.body()).contains("flowId").doesNotContain("topSecretToken42");
        }
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM campaign")).isZero();
    }

    @org.junit.jupiter.api.Test
    void anAsteriskPasswordIsMaskedInEveryAnswerAndKeptWhenTheMaskIsSentBack() {
        DataSource ds = MigratedDatabases.h2();
        ApiTestClient http = serve(ds);
        JsonObject def = new JsonObject().put("id", "c1").put("asterisk", new JsonObject()
            .put("url", "http://ari-user:urlPass99@127.0.0.1:8088").put("username", "ari-user")
            .put("password", "ariS3cret!"));

        ApiTestClient.Res created = http.postJson("/api/v1/campaigns", def);
        ApiTestClient.Res one = http.get("/api/v1/campaigns/c1");
        ApiTestClient.Res list = http.get("/api/v1/campaigns");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        for (ApiTestClient.Res r : java.util.List.of(created, one, list)) {
            assertThat(r.body()).doesNotContain("ariS3cret!").doesNotContain("urlPass99");
        }
        JsonObject shown = one.json().getJsonObject("definition");
        assertThat(shown.getJsonObject("asterisk").getString("password")).isEqualTo("********");

        ApiTestClient.Res replaced = http.put("/api/v1/campaigns/c1", shown.encode(), "application/json");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(io.outdial.dialer.storage.Rows.list(ds, "t", "SELECT settings FROM campaign WHERE id = ?",
            rs -> rs.getString(1), "c1").get(0)).contains("ariS3cret!").doesNotContain("********");

        ApiTestClient.Res wrongType = http.postJson("/api/v1/campaigns", new JsonObject().put("id", "c2")
            .put("asterisk", new JsonObject().put("password", new JsonObject().put("x", "leakyValue7"))));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body()).doesNotContain("leakyValue7");
    }

    @org.junit.jupiter.api.Test
    void theDatabaseDescriptionAndReadinessNeverShowCredentials() {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.outdial.dialer.storage.DatabaseConfig config = new io.outdial.dialer.storage.DatabaseConfig(
                "jdbc:postgresql://dbuser:dbPassW0rd@127.0.0.1:1/outdial?password=qsPass&ssl=false", "dbuser",
                "dbPassW0rd", dir.toString(), 2, java.time.Duration.ofMillis(300));
            io.outdial.dialer.storage.Database db = io.outdial.dialer.storage.Database.create(vertx, config);
            assertThat(db.description()).contains("127.0.0.1:1/outdial").doesNotContain("dbPassW0rd")
                .doesNotContain("qsPass");

            io.outdial.dialer.ready.Readiness ready = new io.outdial.dialer.ready.Readiness(
                java.time.Duration.ofSeconds(2));
            ready.register("database", () -> io.vertx.core.Future.failedFuture(new IllegalStateException(
                "cannot connect to jdbc:postgresql://dbuser:dbPassW0rd@127.0.0.1:1/outdial?password=qsPass")));
            String body = ready.render().await().encode();
            assertThat(body).contains("127.0.0.1:1/outdial").doesNotContain("dbPassW0rd").doesNotContain("qsPass");
        } finally {
            vertx.close().await();
        }
    }
}

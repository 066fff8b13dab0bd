package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TcpCut;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL goes away (its port, reached through a relay, is closed and its connections cut) under a node whose
 * pool waits 10 s for a connection. Once the node has found it unreachable, an API request answers 503
 * {@code database_unavailable} with {@code Retry-After} without waiting that timeout; when the database is back the
 * node answers 200 again by itself (its probe, no request needed).
 */
class DatabaseDownFastIT {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    @TempDir
    Path dataDir;
    private final Vertx relayVertx = Vertx.vertx();
    private TcpCut relay;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 60);
        }
        if (relay != null) {
            relay.close();
        }
        Await.result(relayVertx.close());
    }

    @Test
    @Timeout(180)
    void afterTheNodeFoundTheDatabaseGoneRequestsAre503AtOnceAndItRecoversByItself() {
        EmbeddedPostgres pg = EmbeddedPostgres.get();
        String direct = pg.createDatabase();
        relay = TcpCut.open(relayVertx, pg.port());
        String url = direct.replace(":" + pg.port() + "/", ":" + relay.port() + "/");
        app = DialerApp.create(TestConfigs.local(dataDir).withDatabase(new DatabaseConfig(url, "postgres", "",
            dataDir.toString(), 4, CONNECT_TIMEOUT)));
        app.add(Wiring.api(app, null));
        Await.result(app.start());
        int port = app.httpPort();
        String token = io.outdial.dialer.support.TestAuth.adminToken(app);
        assertThat(Http.get(port, "/api/v1/campaigns", token).statusCode()).isEqualTo(200);

        relay.cut();
        // the node notices on its own connection attempts (here the readiness check of the database, which the
        // pool answers after its connect timeout once no open connection is left)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            app.database().check();
            return !app.database().reachable();
        });

        long t0 = System.nanoTime();
        HttpResponse<String> refused = Http.get(port, "/api/v1/campaigns/any", token);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("database_unavailable");
        assertThat(took).as("answered without waiting the %s connect timeout", CONNECT_TIMEOUT)
            .isLessThan(Duration.ofSeconds(5));
        JsonObject ready = new JsonObject(Http.get(port, "/ready").body());
        assertThat(ready.getJsonArray("dependencies").stream().map(o -> (JsonObject) o)
            .filter(d -> d.getString("name").equals("database")).findFirst().orElseThrow().getString("state"))
            .isEqualTo("DOWN");

        relay.restore();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> app.database().reachable());
        assertThat(Http.get(port, "/api/v1/campaigns", token).statusCode()).isEqualTo(200);
    }
}

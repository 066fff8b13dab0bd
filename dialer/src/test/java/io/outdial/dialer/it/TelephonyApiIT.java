package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /api/v1/telephony} on a node with one sandbox PBX: the server and trunk states; another connection taking
 * the ARI application over leaves the server DOWN (the node does not fight for it), and the reconnect endpoint takes
 * it back once the other connection is gone.
 */
@Timeout(60)
class TelephonyApiIT {
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop());
        }
        if (pbx != null) {
            pbx.close().await();
        }
        pbxVertx.close().await();
    }

    private static JsonObject server(ApiTestClient http) {
        ApiTestClient.Res res = http.get("/api/v1/telephony");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.json().getJsonArray("servers").getJsonObject(0);
    }

    @Test
    void showsServersAndTrunksAndReconnectTakesTheApplicationBackAfterItWasReplaced() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
                "tel-it", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(1))))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 5, Duration.ofSeconds(30), false))));
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());
        ApiTestClient http = ApiTestClient.admin(app);

        await().atMost(Duration.ofSeconds(5)).until(() -> server(http).getString("state").equals("UP"));
        JsonObject all = http.get("/api/v1/telephony").json();
        assertThat(all.getBoolean("accepting")).isTrue();
        JsonObject s = all.getJsonArray("servers").getJsonObject(0);
        assertThat(s.getString("name")).isEqualTo("pbx1");
        assertThat(s.getString("app")).isEqualTo("tel-it");
        assertThat(s.getInteger("liveCalls")).isZero();
        assertThat(s.getString("since")).isNotBlank();
        assertThat(s.encode()).doesNotContain("\"pw\"");
        JsonObject trunk = all.getJsonArray("trunks").getJsonObject(0);
        assertThat(trunk.getString("name")).isEqualTo("carrier");
        assertThat(trunk.getString("state")).isEqualTo("UP");
        assertThat(trunk.getInteger("maxLines")).isEqualTo(10);
        assertThat(trunk.getDouble("maxCps")).isEqualTo(5.0);

        WebSocket thief = pbxVertx.createWebSocketClient().connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(pbx.port()).setURI("/ari/events?app=tel-it&api_key=dialer:pw")).await();
        await().atMost(Duration.ofSeconds(5)).until(() -> server(http).getString("state").equals("DOWN"));
        assertThat(server(http).getString("detail")).contains("replaced");
        // the node does not take the application back by itself (it would steal it from the other process)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
            .until(() -> server(http).getString("state").equals("DOWN"));
        thief.close().await();

        ApiTestClient.Res again = http.post("/api/v1/telephony/servers/pbx1/reconnect", "", "application/json");
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.json().getBoolean("reconnecting")).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> server(http).getString("state").equals("UP"));

        ApiTestClient.Res unknown = http.post("/api/v1/telephony/servers/nope/reconnect", "", "application/json");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().getString("message")).contains("nope");
    }
}

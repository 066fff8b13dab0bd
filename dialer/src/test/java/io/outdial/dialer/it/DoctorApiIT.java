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
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/telephony/doctor} on a running node with the sandbox PBX as its Asterisk (the node's own TTS
 * and media routes): 200 with every check ok, 503 with the application error once another process took the app;
 * the campaign preflight carries the doctor's modules check and refuses a start while a module is missing.
 */
@Timeout(90)
class DoctorApiIT {
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;
    private ApiTestClient http;

    @BeforeEach
    void start() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")
            .withTimeScale(10)).await();
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
                "doc-it", 64, Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(1))))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 5, Duration.ofSeconds(30), true))));
        Wiring.ivr(app);
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());
        http = ApiTestClient.admin(app);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/v1/telephony").json()
            .getJsonArray("servers").getJsonObject(0).getString("state").equals("UP"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop());
        }
        pbx.close().await();
        pbxVertx.close().await();
    }

    private static Map<String, JsonObject> byCheck(JsonObject report) {
        return report.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .collect(Collectors.toMap(c -> c.getString("check"), c -> c, (a, b) -> a));
    }

    @Test
    void theDoctorRouteIsOkOnAHealthyNodeAnd503WithTheAdviceWhenTheApplicationWasTaken() {
        ApiTestClient.Res ok = http.get("/api/v1/telephony/doctor");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        Map<String, JsonObject> checks = byCheck(ok.json());
        assertThat(checks.keySet()).contains("ari", "clock", "modules", "application", "trunk", "events", "media",
            "amd", "database", "media-url");
        assertThat(checks.values()).as(ok.body()).allMatch(c -> c.getString("level").equals("ok"));
        assertThat(checks.get("application").getString("message")).contains("held by this node");
        assertThat(checks.get("media").getString("message")).contains("/media/tts/");

        pbx.faults().replaceApp("doc-it").await();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/telephony").json()
            .getJsonArray("servers").getJsonObject(0).getString("state").equals("DOWN"));
        ApiTestClient.Res bad = http.get("/api/v1/telephony/doctor");
        assertThat(bad.status()).isEqualTo(503);
        JsonObject app = byCheck(bad.json()).get("application");
        assertThat(app.getString("level")).isEqualTo("error");
        assertThat(app.getString("advice")).contains("/api/v1/telephony/servers/pbx1/reconnect");
    }

    @Test
    void thePreflightCarriesTheDoctorsModulesCheckAndAMissingModuleRefusesTheStart() {
        assertThat(http.postJson("/api/v1/campaigns", new JsonObject().put("id", "doc")
            .put("trunk", new JsonObject().put("name", "carrier"))).status()).isEqualTo(201);
        JsonObject pre = http.get("/api/v1/campaigns/doc/preflight").json();
        Map<String, String> levels = CampaignApiIT.levels(pre);
        assertThat(levels).containsEntry("doctor modules pbx1", "ok").containsEntry("doctor trunk carrier@pbx1", "ok")
            .containsEntry("doctor media-url", "ok").containsKey("doctor clock pbx1");

        pbx.faults().unloadModule("app_amd");
        JsonObject missing = http.get("/api/v1/campaigns/doc/preflight").json();
        JsonObject modules = missing.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .filter(c -> c.getString("check").equals("doctor modules pbx1")).findFirst().orElseThrow();
        assertThat(modules.getString("level")).isEqualTo("error");
        assertThat(modules.getString("message")).contains("app_amd", "load = app_amd.so");
        ApiTestClient.Res start = http.postJson("/api/v1/campaigns/doc/state", new JsonObject().put("state",
            "RUNNING"));
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.json().getString("error")).isEqualTo("preflight_failed");
    }
}

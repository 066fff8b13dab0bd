package io.outdial.dialer.it;

import io.outdial.dialer.DemoSetup;
import io.outdial.dialer.DialerApp;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API of the demo node (wired by DemoSetup) while its campaign dials through the sandbox PBX: the campaign shows
 * its runner's live stats and the runner's own reason for not dialing, the same reason /ready gives; pausing through
 * the API is reflected at once.
 */
class DemoApiIT {
    @TempDir
    Path dataDir;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop());
        }
    }

    @Test
    void runningCampaignShowsTheRunnersStatsAndReason() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start());
        ApiTestClient http = new ApiTestClient(app.httpPort());

        JsonObject first = http.get("/api/v1/campaigns/demo").json();
        assertThat(first.getString("state")).isEqualTo("RUNNING");
        assertThat(first.getJsonObject("runner")).as("dialed by this node's runner").isNotNull();
        assertThat(first.getJsonObject("counters").getLong("total")).isEqualTo(20);

        // after the first round every open contact waits for a retry (1-2 minutes): the runner says until when
        JsonObject[] seen = new JsonObject[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            seen[0] = http.get("/api/v1/campaigns/demo").json();
            JsonObject why = seen[0].getJsonObject("whyNotDialing");
            return why != null && why.getString("code").equals("no_due_contacts") && why.getString("until") != null;
        });
        assertThat(seen[0].getBoolean("dialing")).isFalse();
        assertThat(seen[0].getJsonObject("runner").getInteger("attemptsEnded")).isPositive();
        assertThat(seen[0].getJsonObject("runner").getInteger("liveCalls")).isZero();
        String ready = new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies")
            .stream().map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("campaign:demo"))
            .findFirst().orElseThrow().getString("detail");
        assertThat(ready).contains("no_due_contacts");

        JsonObject paused = http.postJson("/api/v1/campaigns/demo/state", new JsonObject().put("state", "PAUSED"))
            .json();
        assertThat(paused.getString("state")).isEqualTo("PAUSED");
        assertThat(paused.getJsonObject("whyNotDialing").getString("code")).isEqualTo("paused");
        assertThat(http.get("/api/v1/campaigns?state=PAUSED").json().getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("id")).toList()).isEqualTo(List.of("demo"));
    }

    @Test
    void preflightPassesForTheDemoCampaignAndStopsACampaignWithAMissingFlow() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start());
        ApiTestClient http = new ApiTestClient(app.httpPort());

        JsonObject demo = http.get("/api/v1/campaigns/demo/preflight").json();
        assertThat(demo.getBoolean("ok")).as(demo.encodePrettily()).isTrue();
        assertThat(CampaignApiIT.levels(demo)).containsEntry("definition", "ok").containsEntry("flow", "ok")
            .containsEntry("telephony", "ok").containsEntry("trunk", "ok").containsEntry("calendar", "ok");

        JsonObject def = new JsonObject().put("id", "nofl").put("flowId", "does-not-exist")
            .put("trunk", new JsonObject().put("name", DemoSetup.DEMO_TRUNK));
        assertThat(http.postJson("/api/v1/campaigns", def).status()).isEqualTo(201);
        JsonObject pre = http.get("/api/v1/campaigns/nofl/preflight").json();
        assertThat(CampaignApiIT.levels(pre)).containsEntry("flow", "error").containsEntry("contacts", "error")
            .containsEntry("trunk", "ok").containsEntry("telephony", "ok");
        assertThat(pre.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .filter(c -> c.getString("check").equals("flow")).findFirst().orElseThrow().getString("message"))
            .contains("does-not-exist").contains("does not exist");
        ApiTestClient.Res start = http.postJson("/api/v1/campaigns/nofl/state", new JsonObject().put("state",
            "RUNNING"));
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.json().getString("error")).isEqualTo("preflight_failed");
        assertThat(http.get("/api/v1/campaigns/nofl").json().getString("state")).isEqualTo("DRAFT");
        assertThat(http.get("/api/v1/campaigns/nothing/preflight").status()).isEqualTo(404);
    }
}

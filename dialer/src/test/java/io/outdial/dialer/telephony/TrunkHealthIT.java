package io.outdial.dialer.telephony;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.EndpointRef;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trunk health against two sandbox PBXs: the endpoint state pushed by EndpointStateChange and read by polls, the
 * call-result breaker, and what /ready and {@link Telephony#pick} make of them.
 */
class TrunkHealthIT {
    private static final EndpointRef CARRIER = new EndpointRef("PJSIP", "carrier");
    @TempDir
    Path dataDir;
    private Vertx pbxVertx;
    private SandboxPbx pbx1;
    private SandboxPbx pbx2;
    private DialerApp app;

    @BeforeEach
    void startPbxs() {
        pbxVertx = Vertx.vertx();
        pbx1 = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        pbx2 = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
    }

    private void startNode(TrunkConfig trunk, SandboxPbx... pbxs) {
        List<AriServerConfig> servers = new java.util.ArrayList<>();
        for (int i = 0; i < pbxs.length; i++) {
            servers.add(new AriServerConfig("pbx" + (i + 1), "http://127.0.0.1:" + pbxs[i].port(), "dialer", "pw",
                "health-it", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(1)));
        }
        DialerConfig config = TestConfigs.local(dataDir).withAsterisk(servers).withTrunks(List.of(trunk));
        app = DialerApp.create(config);
        io.outdial.dialer.dialing.CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());
    }

    @AfterEach
    void stopAll() {
        if (app != null) {
            Await.result(app.stop());
        }
        pbx1.close().await();
        pbx2.close().await();
        pbxVertx.close().await();
    }

    private JsonObject trunkEntry() {
        JsonObject body = new JsonObject(Http.get(app.httpPort(), "/ready").body());
        return body.getJsonArray("dependencies").stream().map(o -> (JsonObject) o)
            .filter(d -> d.getString("name").equals("trunk:carrier")).findFirst().orElseThrow();
    }

    private Telephony telephony() {
        return app.telephony().telephony().orElseThrow();
    }

    private Optional<String> picked() {
        return telephony().pick("carrier").map(e -> e.server().config().name());
    }

    private TrunkMonitor monitor() {
        return (TrunkMonitor) app.telephony().trunkHealth();
    }

    @Test
    void endpointOfflineOnOneServerIsDegradedOnBothDownThenUpAgain() {
        // polls every hour: only EndpointStateChange events (endpointEvents) can move the state during this test
        startNode(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of(), false, 10, 10,
            Duration.ofSeconds(2), false, Duration.ofHours(1), null, null, true), pbx1, pbx2);
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor().subscribed("pbx1", CARRIER)
            && monitor().subscribed("pbx2", CARRIER));
        assertThat(trunkEntry().getString("state")).isEqualTo("UP");
        assertThat(trunkEntry().getString("detail")).contains("pbx1").contains("pbx2");

        pbx1.faults().endpointState("PJSIP/carrier", "offline");
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("DEGRADED"));
        assertThat(trunkEntry().getString("detail")).contains("endpoint PJSIP/carrier is offline on server pbx1")
            .contains("reachable through pbx2");
        assertThat(picked()).contains("pbx2");
        assertThat(telephony().trunkHealth().down("pbx1", "carrier")).isPresent();

        pbx2.faults().endpointState("PJSIP/carrier", "offline");
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("DOWN"));
        assertThat(picked()).isEmpty();
        assertThat(Http.get(app.httpPort(), "/ready").statusCode()).isEqualTo(503);
        // the campaign preflight sees the same trunk state as /ready
        io.outdial.dialer.api.ApiTestClient http = io.outdial.dialer.api.ApiTestClient.admin(app);
        assertThat(http.postJson("/api/v1/campaigns", new JsonObject().put("id", "pre")
            .put("trunk", new JsonObject().put("name", "carrier"))).status()).isEqualTo(201);
        JsonObject down = trunkCheck(http);
        assertThat(down.getString("level")).isEqualTo("warning");
        assertThat(down.getString("message")).contains("trunk carrier is down on every server")
            .contains("offline on server pbx1").contains("trunk_down");

        pbx1.faults().endpointState("PJSIP/carrier", "online");
        pbx2.faults().endpointState("PJSIP/carrier", "unknown"); // PJSIP without qualify: usable
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("UP"));
        assertThat(picked()).isPresent();
        assertThat(trunkCheck(http).getString("level")).isEqualTo("ok");
    }

    private static JsonObject trunkCheck(io.outdial.dialer.api.ApiTestClient http) {
        return http.get("/api/v1/campaigns/pre/preflight").json().getJsonArray("checks").stream()
            .map(o -> (JsonObject) o).filter(c -> c.getString("check").equals("trunk")).findFirst().orElseThrow();
    }

    @Test
    void withoutEndpointEventsTheEndpointIsPolledNotSubscribed() {
        startNode(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of(), false, 10, 10,
            Duration.ofSeconds(2), false, Duration.ofMillis(200), null, null, false), pbx1);
        await().atMost(Duration.ofSeconds(10)).until(() -> trunkEntry().getString("state").equals("UP"));
        pbx1.faults().endpointState("PJSIP/carrier", "offline");
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("DOWN"));
        assertThat(trunkEntry().getString("detail")).contains("endpoint PJSIP/carrier is offline on server pbx1");
        // as the PBX sees the app: no endpoint subscription, so no channel event twice and no channel lists
        assertThat(monitor().subscribed("pbx1", CARRIER)).isFalse();
        HttpResponse<String> appView = Http.ariGet(pbx1.ariBaseUrl(), "dialer", "pw", "/applications/health-it");
        assertThat(appView.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(appView.body()).getJsonArray("endpoint_ids")).isEmpty();
    }

    @Test
    void aMissingEndpointIsReportedByThePoll() {
        startNode(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of(), false, 10, 10,
            Duration.ofSeconds(2), false, Duration.ofMillis(200), null, null), pbx1);
        await().atMost(Duration.ofSeconds(10)).until(() -> trunkEntry().getString("state").equals("UP"));

        pbx1.faults().removeEndpoint("PJSIP/carrier");
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("DOWN"));
        assertThat(trunkEntry().getString("detail")).isEqualTo("endpoint PJSIP/carrier does not exist on server pbx1");
        assertThat(picked()).isEmpty();

        pbx1.faults().clear();
        await().atMost(Duration.ofSeconds(5)).until(() -> trunkEntry().getString("state").equals("UP"));
    }

    @Test
    void callsFailingChanunavailTripTheBreakerThenOneSuccessClosesIt() {
        startNode(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of(), false, 10, 10,
            Duration.ofSeconds(2), false, null, 3, Duration.ofSeconds(2)), pbx1);
        await().atMost(Duration.ofSeconds(10)).until(() -> trunkEntry().getString("state").equals("UP"));
        pbx1.scripts().register(".*", CalleeScript.fail(20, Duration.ZERO)); // every call: CHANUNAVAIL, cause 20
        Trunk trunk = app.telephony().trunk("carrier").orElseThrow();

        for (int i = 1; i <= 3; i++) {
            CallEngine engine = telephony().pick("carrier").orElseThrow();
            CallRecord r = Await.result(engine.originate(request("unavail-" + i, "+15550100001", trunk)));
            assertThat(r.outcome().detail()).contains("CHANUNAVAIL");
        }
        assertThat(picked()).isEmpty();
        JsonObject down = trunkEntry();
        assertThat(down.getString("state")).isEqualTo("DOWN");
        assertThat(down.getString("detail")).contains("trunk carrier on server pbx1: 3 consecutive calls failed");

        pbx1.scripts().clear(); // the carrier recovers: +1...1 answers after 1 s
        await().atMost(Duration.ofSeconds(5)).until(() -> picked().isPresent()); // half-open after 2 s
        assertThat(trunkEntry().getString("state")).isEqualTo("UP");
        CallRecord ok = Await.result(telephony().pick("carrier").orElseThrow()
            .originate(request("ok-1", "+15550100001", trunk)));
        assertThat(ok.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(monitor().breaker("pbx1", "carrier").failures()).isZero();
    }

    private static CallRequest request(String id, String phone, Trunk trunk) {
        return new CallRequest(id, "camp", "contact-" + id, phone, Map.of(), trunk, 1, null, null,
            MachinePolicy.HANG_UP, null, Map.of());
    }
}

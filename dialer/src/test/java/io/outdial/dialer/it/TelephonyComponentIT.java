package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole node wired to the sandbox PBX as its one Asterisk: /ready, placing a call, draining on stop. */
class TelephonyComponentIT {
    @TempDir
    Path dataDir;
    private Vertx pbxVertx;
    private SandboxPbx pbx;
    private DialerApp app;

    @BeforeEach
    void startPbxAndNode() {
        pbxVertx = Vertx.vertx();
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        AriServerConfig ast = new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
            "node-it", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(1));
        TrunkConfig trunk = new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000001"), false, 10,
            10, Duration.ofSeconds(2), false);
        DialerConfig config = TestConfigs.local(dataDir).withAsterisk(List.of(ast)).withTrunks(List.of(trunk));
        app = DialerApp.create(config);
        Await.result(app.start());
    }

    @AfterEach
    void stopAll() {
        Await.result(app.stop());
        pbx.close().await();
        pbxVertx.close().await();
    }

    private JsonObject asterisk() {
        HttpResponse<String> r = Http.get(app.httpPort(), "/ready");
        JsonObject body = new JsonObject(r.body());
        return body.getJsonArray("dependencies").stream().map(o -> (JsonObject) o)
            .filter(d -> d.getString("name").equals("asterisk:pbx1")).findFirst().orElseThrow()
            .put("httpStatus", r.statusCode());
    }

    @Test
    void readyShowsTheAsteriskUpThenDownWithTheReasonThenUpAgainByItself() {
        JsonObject up = asterisk();
        assertThat(up.getString("state")).isEqualTo("UP");
        assertThat(up.getString("detail")).contains("Asterisk").contains("app node-it");
        assertThat(up.getInteger("httpStatus")).isEqualTo(200);
        assertThat(pbx.appRegistered("node-it")).isTrue();

        pbx.faults().down().await();
        await().atMost(Duration.ofSeconds(10)).until(() -> asterisk().getString("state").equals("DOWN"));
        JsonObject down = asterisk();
        assertThat(down.getString("detail")).containsIgnoringCase("websocket");
        assertThat(down.getInteger("httpStatus")).isEqualTo(503);

        pbx.faults().up().await();
        await().atMost(Duration.ofSeconds(10)).until(() -> asterisk().getString("state").equals("UP"));
        assertThat(asterisk().getInteger("httpStatus")).isEqualTo(200);
    }

    @Test
    void componentsReachTheEnginesAndTrunksAndACallEndsWithItsOutcome() {
        Telephony telephony = app.telephony().telephony().orElseThrow();
        Trunk trunk = app.telephony().trunk("carrier").orElseThrow();
        assertThat(telephony.engine("pbx1").server().ready()).isTrue();

        CallRecord invalid = Await.result(telephony.originate(request("invalid-1", "+15550100008", trunk)));

        assertThat(invalid.outcome().kind()).isEqualTo(OutcomeKind.INVALID_NUMBER);
        assertThat(invalid.server()).isEqualTo("pbx1");
    }

    @Test
    void stopWaitsForALiveCallToEndBeforeClosing() {
        Telephony telephony = app.telephony().telephony().orElseThrow();
        Trunk trunk = app.telephony().trunk("carrier").orElseThrow();
        // last digit 5 rings until the trunk's 2 s originate timeout
        Future<CallRecord> ringing = telephony.originate(request("ring-1", "+15550100005", trunk));
        await().atMost(Duration.ofSeconds(5)).until(() -> telephony.activeCalls() == 1 && pbx.liveChannelCount() == 1);

        Future<Void> stopped = app.stop();
        assertThat(app.telephony().accepting()).isFalse();

        Await.result(stopped);
        assertThat(ringing.isComplete()).isTrue();
        assertThat(ringing.result().outcome().kind()).isEqualTo(OutcomeKind.NO_ANSWER);
    }

    private static CallRequest request(String id, String phone, Trunk trunk) {
        return new CallRequest(id, "camp", "contact-" + id, phone, Map.of(), trunk, 1, null, null,
            MachinePolicy.HANG_UP, null, Map.of());
    }
}

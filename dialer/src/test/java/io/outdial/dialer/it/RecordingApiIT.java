package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/v1/recordings/{name}} on a node with a sandbox PBX: a recording made by a call is fetched from
 * that call's Asterisk server ({@code GET /ari/recordings/stored/{name}/file}) and sent with its content type.
 */
@Timeout(60)
class RecordingApiIT {
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

    @Test
    void aCallRecordingIsStreamedFromTheAsteriskServerOfItsCall() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
                "rec-it", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(1))))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 5, Duration.ofSeconds(30), false))));
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());
        Telephony telephony = app.telephony().telephony().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> telephony.engine("pbx1").server().ready());

        pbx.scripts().registerNumber("+15553330002", CalleeScript.answerAfter(Duration.ofMillis(100))
            .withTalk(Duration.ofSeconds(2)).withDigits(Duration.ofMillis(2500), "#"));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.record("answer-7", new CallControl.RecordOptions(
            Duration.ofSeconds(20), Duration.ZERO, true, "#")), (s, e) -> {
                if (e instanceof CallEvent.RecordingFinished) {
                    s.control.hangup(CallControl.HangupReason.NORMAL);
                }
            });
        CallRecord r = Await.result(telephony.originate(new CallRequest("rec-1", "camp", "c1", "+15553330002",
            Map.of(), app.telephony().trunk("carrier").orElseThrow(), 1, null, null, MachinePolicy.HANG_UP, flow,
            Map.of())));
        assertThat(r.recordings()).containsExactly("recording:answer-7");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        token = io.outdial.dialer.support.TestAuth.adminToken(app);
        String base = "http://127.0.0.1:" + app.httpPort() + "/api/v1/recordings/";
        // the record is stored on a worker after the call ended
        await().atMost(Duration.ofSeconds(5)).until(() -> get(http, base + "answer-7").statusCode() == 200);
        HttpResponse<byte[]> wav = get(http, base + "answer-7");
        assertThat(wav.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(wav.headers().firstValue("Content-Disposition")).hasValueSatisfying(v ->
            assertThat(v).contains("answer-7.wav"));
        assertThat(new String(Arrays.copyOf(wav.body(), 4), StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        byte[] direct = telephony.engine("pbx1").server().rest().storedRecordingFile("answer-7").await().getBytes();
        assertThat(wav.body()).isEqualTo(direct);

        assertThat(get(http, base + "no-such-recording").statusCode()).isEqualTo(404);
        assertThat(get(http, base + "bad%25name").statusCode()).isEqualTo(400);
        telephony.engine("pbx1").server().rest().deleteStoredRecording("answer-7").await();
        HttpResponse<byte[]> gone = get(http, base + "answer-7");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(new String(gone.body(), StandardCharsets.UTF_8)).contains("no longer stored");
    }

    private static String token;

    private static HttpResponse<byte[]> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }
}

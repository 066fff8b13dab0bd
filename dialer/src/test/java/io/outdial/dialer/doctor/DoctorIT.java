package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The doctor against the sandbox PBX on loopback (its own Vert.x, real HTTP and websocket): a healthy sandbox gives
 * every check ok, and each fault a deployment meets gives its error (or warning) with the advice that fixes it.
 * A small HTTP server stands for the node's media: it serves the probe prompt as a WAV the sandbox fetches.
 */
@Timeout(60)
class DoctorIT {
    private final Vertx pbxVertx = Vertx.vertx();
    private final Vertx vertx = Vertx.vertx();
    private SandboxPbx pbx;
    private HttpServer media;
    private AriServer node;

    @BeforeEach
    void start() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")
            .withTimeScale(10)).await();
        media = vertx.createHttpServer().requestHandler(req -> req.response().putHeader("Content-Type", "audio/wav")
            .end(wav())).listen(0, "127.0.0.1").await();
        // the running node that holds the application
        node = new AriServer(vertx, server("pw"), Clock.systemUTC());
        node.start(); // retries by itself if the first try is slow on a busy machine
        await().atMost(Duration.ofSeconds(30)).until(node::ready);
    }

    @AfterEach
    void stop() {
        node.stop().await();
        media.close().await();
        pbx.close().await();
        vertx.close().await();
        pbxVertx.close().await();
    }

    private AriServerConfig server(String password) {
        return new AriServerConfig("ast1", "http://127.0.0.1:" + pbx.port(), "dialer", password, "dialer", 16,
            Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    private DoctorSetup setup(String password) {
        String base = "http://127.0.0.1:" + media.actualPort();
        PromptResolver prompts = (text, engine, voice) -> Future.succeededFuture("sound:" + base + "/media/tts/"
            + "0".repeat(64) + ".wav");
        TrunkConfig carrier = new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000001"), false, 10,
            5, Duration.ofSeconds(5), true);
        return new DoctorSetup(List.of(server(password)), List.of(carrier), true, prompts, base, "",
            () -> "H2 reachable", name -> node.health(), null, null, Clock.systemUTC(), Duration.ofSeconds(10),
            Duration.ofSeconds(2));
    }

    private DoctorReport run(DoctorSetup setup) {
        return new Doctor(vertx, setup).report(true).await();
    }

    private static DoctorCheck check(DoctorReport r, String check) {
        return r.checks().stream().filter(c -> c.check().equals(check)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + check + " check in\n" + r.text()));
    }

    private static Map<String, DoctorCheck.Level> levels(DoctorReport r) {
        return r.checks().stream().collect(Collectors.toMap(DoctorCheck::check, DoctorCheck::level, (a, b) -> a));
    }

    @Test
    void aHealthySandboxGivesEveryCheckOkAndTheTestCallInPlainWords() {
        DoctorReport r = run(setup("pw").withTestCall("+15550001", null));
        assertThat(r.checks()).as(r.text()).allMatch(c -> c.level() == DoctorCheck.Level.OK);
        assertThat(levels(r).keySet()).containsExactlyInAnyOrder("ari", "clock", "modules", "application", "trunk",
            "events", "media", "amd", "test-call", "database", "media-url");
        assertThat(r.ok()).isTrue();
        assertThat(check(r, "ari").message()).contains("Asterisk 22.10.1");
        assertThat(check(r, "amd").message()).contains("AMDSTATUS MACHINE");
        assertThat(check(r, "media").message()).contains("fetched and played");
        assertThat(check(r, "test-call").message()).contains("answered after", "heard DTMF \"1\"");
        assertThat(r.json().getBoolean("ok")).isTrue();
        assertThat(r.text()).contains("ready: 0 error(s)");
    }

    @Test
    void aMissingModuleIsAnErrorNamingTheModuleAndTheModulesConfLine() {
        pbx.faults().unloadModule("res_ari_channels.so");
        DoctorReport r = new Doctor(vertx, setup("pw")).report(false).await();
        DoctorCheck modules = check(r, "modules");
        assertThat(modules.level()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(modules.message()).contains("res_ari_channels (originate, play, record, hang up)");
        assertThat(modules.advice()).contains("\"load = res_ari_channels.so\"", "modules.conf");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void anUnreachableMediaUrlIsAnErrorWithTheUrlToFetchFromThePbx() {
        pbx.faults().mediaUnreachable(true);
        DoctorReport r = run(setup("pw"));
        DoctorCheck m = check(r, "media");
        assertThat(m.level()).as(r.text()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(m.message()).contains("could not play http://127.0.0.1:" + media.actualPort(), "failed");
        assertThat(m.advice()).contains("curl -I http://127.0.0.1:", "media.baseUrl");
        assertThat(check(r, "events").level()).isEqualTo(DoctorCheck.Level.OK);
    }

    @Test
    void aReplacedApplicationIsAnErrorWithTheReconnectToTakeItBack() {
        pbx.faults().replaceApp("dialer").await();
        await().atMost(Duration.ofSeconds(10)).until(() -> node.health().detail().contains("replaced"));
        DoctorReport r = new Doctor(vertx, setup("pw")).report(false).await();
        DoctorCheck app = check(r, "application");
        assertThat(app.level()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(app.message()).contains("taken by another process");
        assertThat(app.advice()).contains("own asterisk[].app", "POST /api/v1/telephony/servers/ast1/reconnect");
    }

    @Test
    void anOfflineTrunkIsAnErrorPointingAtTheCarrierSide() {
        pbx.faults().endpointState("PJSIP/carrier", "offline");
        DoctorReport r = new Doctor(vertx, setup("pw")).report(false).await();
        DoctorCheck t = check(r, "trunk");
        assertThat(t.target()).isEqualTo("carrier@ast1");
        assertThat(t.level()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(t.message()).contains("dials +15550100 as PJSIP/+15550100@carrier", "PJSIP/carrier is offline");
        assertThat(t.advice()).contains("pjsip.conf", "registration");
    }

    @Test
    void aMissingAmdContextIsAnErrorWithTheContextToAdd() {
        pbx.faults().removeContext("dialer-amd");
        DoctorReport r = run(setup("pw"));
        DoctorCheck amd = check(r, "amd");
        assertThat(amd.level()).as(r.text()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(amd.message()).contains("dialer-amd", "without entering the application");
        assertThat(amd.advice()).contains("[dialer-amd]", "Stasis(${OUTDIAL_APP},${AMDSTATUS},${AMDCAUSE})");
        assertThat(check(r, "media").level()).isEqualTo(DoctorCheck.Level.OK);
    }

    @Test
    void wrongCredentialsStopTheServerChecksWithTheAriConfAdvice() {
        DoctorReport r = run(setup("wrong"));
        DoctorCheck ari = check(r, "ari");
        assertThat(ari.level()).isEqualTo(DoctorCheck.Level.ERROR);
        assertThat(ari.message()).contains("refused user \"dialer\" (HTTP 401)");
        assertThat(ari.advice()).contains("ari.conf");
        assertThat(levels(r)).doesNotContainKeys("modules", "media", "trunk");
    }

    @Test
    void aSkewedPbxClockIsAWarningAskingForNtp() {
        pbx.faults().clockSkew(Duration.ofSeconds(-90));
        DoctorReport r = new Doctor(vertx, setup("pw")).report(false).await();
        DoctorCheck clock = check(r, "clock");
        assertThat(clock.level()).isEqualTo(DoctorCheck.Level.WARNING);
        assertThat(clock.message()).contains("behind");
        assertThat(clock.advice()).contains("NTP");
        assertThat(r.ok()).isTrue();
    }

    /** 0.2 s of 8 kHz 16-bit mono silence. */
    static Buffer wav() {
        int samples = 1600;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
            .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2)
            .putShort((short) 16).put("data".getBytes()).putInt(samples * 2);
        return Buffer.buffer(b.array());
    }
}

package io.outdial.dialer.cli;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dialer.jar doctor} through {@link Main} against the sandbox PBX on loopback: the media is rendered with the
 * real TTS and served on the configured HTTP port for the PBX to fetch; the exit code is 0 with warnings only and 1
 * with an error; {@code --json} prints the report for tools; a bad argument is exit code 2.
 */
@Timeout(120)
class DoctorCommandIT {
    @TempDir
    Path dir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private Path config;

    private record Run(int code, String out, String err) { }

    @BeforeEach
    void start() throws IOException {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")
            .withTimeScale(10)).await();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        config = Files.writeString(dir.resolve("dialer.yaml"), "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
            + "database:\n  dataDir: " + dir.resolve("data") + "\n"
            + "asterisk:\n  - name: ast1\n    url: http://127.0.0.1:" + pbx.port() + "\n    username: dialer\n"
            + "    password: pw\n    app: doctor-cli\n"
            + "trunks:\n  - name: carrier\n    endpointPattern: PJSIP/{number}@carrier\n    maxLines: 5\n"
            + "    maxCps: 2\n");
    }

    @AfterEach
    void stop() {
        pbx.close().await();
        pbxVertx.close().await();
    }

    private Run doctor(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        String[] all = new String[args.length + 1];
        all[0] = "doctor";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = new Main(ctx).run(all);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aHealthyDeploymentExitsZeroAndPrintsEachCheckForAPerson() {
        Run r = doctor("--config", config.toString(), "--test-number", "+15550002");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("ok      ari ast1: Asterisk 22.10.1 answers at http://127.0.0.1:" + pbx.port())
            .contains("ok      media ast1: Asterisk fetched and played http://127.0.0.1:")
            .contains("ok      trunk carrier@ast1: dials +15550100 as PJSIP/+15550100@carrier")
            .contains("ok      test-call +15550002: call to +15550002 through carrier")
            .contains("heard DTMF \"2\"")
            // no node runs: nobody holds the application, which is only a warning
            .contains("WARNING application ast1: no process holds application doctor-cli now")
            .contains("-> start the node (serve)")
            .contains("ready: 0 error(s), 1 warning(s)");
    }

    @Test
    void anErrorExitsOneAndJsonGivesTheChecksToTools() {
        pbx.faults().mediaUnreachable(true);
        Run r = doctor("--config", config.toString(), "--json");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        JsonObject report = new JsonObject(r.out());
        assertThat(report.getBoolean("ok")).isFalse();
        assertThat(report.getLong("errors")).isEqualTo(1);
        JsonObject media = report.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .filter(c -> c.getString("check").equals("media")).findFirst().orElseThrow();
        assertThat(media.getString("level")).isEqualTo("error");
        assertThat(media.getString("target")).isEqualTo("ast1");
        assertThat(media.getString("advice")).contains("media.baseUrl");
    }

    @Test
    void aBadArgumentIsExitCodeTwo() {
        Run r = doctor("--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unexpected argument \"--frobnicate\"", "usage: outdial doctor");
    }
}

package io.outdial.dialer.it;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar dialer.jar doctor} as a real process against the sandbox PBX in its own process
 * ({@code SandboxMain}): a healthy deployment exits 0 with the human report on stdout and the log on stderr; a
 * trunk whose endpoint Asterisk does not know exits 1, and {@code --json} is the only thing on stdout.
 */
@Timeout(180)
class DoctorJarIT {
    private static final Path JAR = Path.of("target", "dialer.jar");
    @TempDir
    Path dir;
    private Process sandbox;
    private int pbxPort;

    private record Run(int code, String out, String err) { }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            // Time runs twice as fast in the PBX, not ten times: the probe channel's Wait(20) must outlast the real
            // time a loaded machine takes to fetch and play the prompt (2 s of real time did not, at load 20).
            "io.outdial.sandbox.SandboxMain", "0", "2").redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(sandbox.getInputStream(),
            StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !line.startsWith("Sandbox PBX: ")) {
            // start-up log
        }
        assertThat(line).as("the sandbox process announces its URL").isNotNull();
        pbxPort = Integer.parseInt(line.replaceFirst("Sandbox PBX: http://127.0.0.1:(\\d+)/ari.*", "$1"));
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "sandbox-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterEach
    void stopSandbox() throws InterruptedException {
        sandbox.destroy();
        if (!sandbox.waitFor(20, TimeUnit.SECONDS)) {
            sandbox.destroyForcibly();
        }
    }

    private Path config(String endpointPattern) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return Files.writeString(dir.resolve("dialer-" + port + ".yaml"), "http:\n  host: 127.0.0.1\n  port: " + port
            + "\ndatabase:\n  dataDir: " + dir.resolve("data") + "\n"
            + "asterisk:\n  - name: sandbox\n    url: http://127.0.0.1:" + pbxPort + "\n    username: dialer\n"
            + "    password: dialer\n    app: doctor-jar\n"
            + "trunks:\n  - name: carrier\n    endpointPattern: " + endpointPattern + "\n    maxLines: 5\n"
            + "    maxCps: 2\n    amd: true\n");
    }

    private Run doctor(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("dialer.jar is built by the package phase before integration tests").exists();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String[] cmd = new String[args.length + 5];
        cmd[0] = java();
        cmd[1] = "-Xmx256m";
        cmd[2] = "-jar";
        cmd[3] = JAR.toAbsolutePath().toString();
        cmd[4] = "doctor";
        System.arraycopy(args, 0, cmd, 5, args.length);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void aHealthyDeploymentExitsZeroWithTheReportOnStdout() throws Exception {
        Run r = doctor("--config", config("PJSIP/{number}@carrier").toString(), "--test-number", "+15550001");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("ok      modules sandbox: the ", "ok      media sandbox: Asterisk fetched and played",
            "ok      amd sandbox: dialer-amd ran AMD", "ok      test-call +15550001: call to +15550001",
            "heard DTMF \"1\"", "ready: 0 error(s)");
        assertThat(r.out()).doesNotContain(" INFO ");
    }

    @Test
    void anUnknownTrunkEndpointExitsOneAndJsonIsAloneOnStdout() throws Exception {
        Run r = doctor("--config", config("PJSIP/{number}@nosuch").toString(), "--json");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        JsonObject report = new JsonObject(r.out());
        JsonObject trunk = report.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .filter(c -> c.getString("check").equals("trunk")).findFirst().orElseThrow();
        assertThat(trunk.getString("level")).isEqualTo("error");
        assertThat(trunk.getString("message")).contains("endpoint PJSIP/nosuch does not exist");
        assertThat(trunk.getString("advice")).contains("pjsip.conf");
    }
}

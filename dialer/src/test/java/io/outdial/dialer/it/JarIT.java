package io.outdial.dialer.it;

import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The built {@code dialer.jar} as a real process: the demo answers, SIGTERM drains and stops cleanly. */
class JarIT {
    private static final Path JAR = Path.of("target", "dialer.jar");
    private Process process;

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Process start(Path workDir, Path log, Map<String, String> env, String... args) throws IOException {
        assertThat(JAR).as("dialer.jar is built by the package phase before integration tests").exists();
        List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
            JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DIALER_"));
        pb.environment().putAll(env);
        process = pb.start();
        return process;
    }

    private static Map<String, String> loopbackEnv(int httpPort) {
        return Map.of(
            "DIALER_HTTP_HOST", "127.0.0.1",
            "DIALER_HTTP_PORT", String.valueOf(httpPort),
            "DIALER_CLUSTER_PORT", String.valueOf(TestConfigs.freePort()),
            "DIALER_CLUSTER_NAME", "outdial-jar-" + httpPort,
            "DIALER_SHUTDOWN_DRAIN_TIMEOUT", "5s");
    }

    private void awaitReady(int port, Path log) {
        Process p = process;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .failFast("the dialer process exited; see " + log, () -> !p.isAlive())
            .untilAsserted(() -> assertThat(Http.get(port, "/ready").statusCode()).isEqualTo(200));
    }

    @Test
    void demoAnswersHealthReadyAndMetricsAndLabelsSimulation(@TempDir Path dir) throws Exception {
        int port = TestConfigs.freePort();
        Path log = dir.resolve("demo.log");
        start(dir, log, loopbackEnv(port), "demo");

        awaitReady(port, log);

        assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/metrics").body()).contains("jvm_memory_used_bytes");
        HttpResponse<String> ready = Http.get(port, "/ready");
        assertThat(new JsonObject(ready.body()).getJsonArray("dependencies").encode())
            .contains("\"state\":\"SIMULATED\"");
        JsonObject sandbox = new JsonObject(ready.body()).getJsonArray("dependencies").stream()
            .map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("asterisk:sandbox")).findFirst()
            .orElseThrow();
        assertThat(sandbox.getString("state")).isEqualTo("SIMULATED");
        assertThat(sandbox.getString("detail")).contains("sandbox PBX, simulated carrier").contains("Asterisk");
        assertThat(Files.readString(log)).contains("SIMULATED").contains("Outdial demo running")
            .contains("asterisk sandbox: http://127.0.0.1:");
        assertThat(dir.resolve("data").resolve("outdial.mv.db")).exists();
        JsonObject campaign = new JsonObject(ready.body()).getJsonArray("dependencies").stream()
            .map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("campaign:demo")).findFirst()
            .orElseThrow(() -> new AssertionError("no campaign:demo in /ready: " + ready.body()));
        assertThat(campaign.getString("state")).isEqualTo("UP");
        assertThat(dir.resolve("data").resolve("demo").resolve("campaign-demo.yaml")).exists();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(Files.readString(log)).contains("campaign demo: seeded from classpath demo")
                .contains("campaign demo: runner started").contains("campaign demo: progress"));
    }

    @Test
    void sigtermDrainsAndStopsTheServer(@TempDir Path dir) throws Exception {
        int port = TestConfigs.freePort();
        Path log = dir.resolve("serve.log");
        Map<String, String> env = new java.util.HashMap<>(loopbackEnv(port));
        env.put("DIALER_DATABASE_DATA_DIR", dir.resolve("db").toString());
        Process p = start(dir, log, env, "serve");
        awaitReady(port, log);

        p.destroy(); // SIGTERM

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process ended within 60s").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("shutdown signal received").contains("drain complete")
            .contains("cluster member stopped").contains("outdial stopped");
        assertThat(output.indexOf("drain complete")).isLessThan(output.indexOf("outdial stopped"));
    }

    @Test
    void versionComesFromTheJarManifest(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("version.log");
        Process p = start(dir, log, Map.of(), "--version");

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(log).trim()).matches("outdial \\d+\\.\\d+\\.\\d+.*");
    }
}

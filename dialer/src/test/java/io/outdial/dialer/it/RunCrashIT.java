package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the headless run (ARCHITECTURE §3 rule 1): the sandbox PBX runs in its own process, the
 * dialer jar dials 50 long-ringing calls, is killed with SIGKILL while they are live, and is started again:
 * every attempt ends with a final outcome (the live channels are re-attached and end NO_ANSWER at their
 * timeout) and no contact is dialed a second time.
 */
class RunCrashIT {
    private static final Path JAR = Path.of("target", "dialer.jar");
    private static final int CALLS = 50;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void kill() {
        processes.forEach(Process::destroyForcibly);
    }

    private Process java(Path dir, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DIALER_") || k.startsWith("SANDBOX_"));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static int liveChannels(int port) {
        return new JsonArray(Http.ariGet("http://127.0.0.1:" + port + "/ari", "dialer", "dialer", "/channels").body())
                .size();
    }

    @Test
    @Timeout(420) // above the sum of the steps' own bounds, which a loaded machine may need
    void killNineWithFiftyLiveCallsThenRestartEndsEveryAttemptAndRedialsNobody(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("dialer.jar is built by the package phase before integration tests").exists();
        String jar = JAR.toAbsolutePath().toString();
        int port = TestConfigs.freePort();
        Path pbxLog = dir.resolve("sandbox.log");
        java(dir, pbxLog, "-cp", jar, "io.outdial.sandbox.SandboxMain", String.valueOf(port), "1.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(pbxLog).contains("Sandbox PBX:"));

        StringBuilder csv = new StringBuilder("id,phone\n");
        for (int i = 0; i < CALLS; i++) {
            csv.append(i).append(",+3361234").append(String.format("%03d", i)).append("5\n"); // 5: rings on
        }
        Files.writeString(dir.resolve("contacts.csv"), csv);
        Files.writeString(dir.resolve("crash.yaml"), String.join("\n",
                "id: crash", "contacts: contacts.csv", "region: FR",
                "trunk: {maxLines: 100, maxCps: 100, originateTimeout: 40s}",
                "limits: {lines: 60}",
                "attempts:", "  rules:", "    - {outcome: NO_ANSWER, close: FAILURE}",
                "asterisk: {url: \"http://127.0.0.1:" + port + "\", username: dialer, password: dialer, app: dialer}",
                ""));
        Path out = dir.resolve("out.csv");
        String[] run = {"-jar", jar, "run", "crash.yaml", "--results", out.toString(), "--data", "data"};

        Process first = java(dir, dir.resolve("run1.log"), run);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("the first run exited; see run1.log", () -> !first.isAlive())
                .until(() -> liveChannels(port) >= CALLS);
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(liveChannels(port)).as("calls outlive the dialer").isEqualTo(CALLS);

        Process second = java(dir, dir.resolve("run2.log"), run);
        assertThat(second.waitFor(240, TimeUnit.SECONDS)).as("second run ends").isTrue();
        String log2 = Files.readString(dir.resolve("run2.log"));
        assertThat(second.exitValue()).as(log2).isZero();
        assertThat(log2).contains("Resuming campaign crash (the last run did not stop cleanly)")
                .contains("Campaign finished. 50 contacts")
                .contains("runner started (50 live attempts recovered)");
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(out)) {
            rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        assertThat(rows).hasSize(CALLS).allSatisfy(x -> {
            assertThat(x.get("state")).isEqualTo("CLOSED");
            assertThat(x.get("attempts")).as("contact %s dialed once", x.get("id")).isEqualTo("1");
            assertThat(x.get("last_outcome")).isEqualTo("NO_ANSWER");
        });
        assertThat(liveChannels(port)).isZero();
    }

    @Test
    @Timeout(420) // above the sum of the steps' own bounds, which a loaded machine may need
    void sigtermPausesAfterTheLiveCallsEndAndTheNextRunResumes(@TempDir Path dir) throws Exception {
        String jar = JAR.toAbsolutePath().toString();
        int port = TestConfigs.freePort();
        Path pbxLog = dir.resolve("sandbox.log");
        java(dir, pbxLog, "-cp", jar, "io.outdial.sandbox.SandboxMain", String.valueOf(port), "1.0");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(pbxLog).contains("Sandbox PBX:"));
        StringBuilder csv = new StringBuilder("id,phone\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i).append(",+3361234").append(String.format("%03d", i)).append("5\n");
        }
        Files.writeString(dir.resolve("contacts.csv"), csv);
        Files.writeString(dir.resolve("pause.yaml"), String.join("\n",
                "id: pause", "contacts: contacts.csv", "region: FR",
                "trunk: {maxLines: 100, maxCps: 100, originateTimeout: 3s}", "limits: {lines: 10}",
                "attempts:", "  rules:", "    - {outcome: NO_ANSWER, close: FAILURE}",
                "asterisk: {url: \"http://127.0.0.1:" + port + "\", username: dialer, password: dialer, app: dialer}",
                ""));
        Path out = dir.resolve("out.csv");
        String[] run = {"-jar", jar, "run", "pause.yaml", "--results", out.toString(), "--data", "data"};
        Process first = java(dir, dir.resolve("run1.log"), run);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .failFast("the first run exited; see run1.log", () -> !first.isAlive())
                .until(() -> liveChannels(port) >= 5);
        first.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log1 = Files.readString(dir.resolve("run1.log"));
        assertThat(log1).contains("Paused; run the same command again to resume.");
        assertThat(liveChannels(port)).as("live calls finished before the exit").isZero();
        List<CSVRecord> partial = read(out);
        assertThat(partial).as(log1).hasSize(30).anySatisfy(x -> assertThat(x.get("state")).isEqualTo("WAITING"))
                .allSatisfy(x -> assertThat(x.get("state")).as("no attempt left open").isNotEqualTo("DIALING"));

        Process second = java(dir, dir.resolve("run2.log"), run);
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log2 = Files.readString(dir.resolve("run2.log"));
        assertThat(second.exitValue()).as(log2).isZero();
        assertThat(log2).contains("Resuming campaign pause (paused earlier)").contains("Campaign finished. 30 contacts");
        assertThat(read(out)).hasSize(30).allSatisfy(x -> {
            assertThat(x.get("state")).isEqualTo("CLOSED");
            assertThat(x.get("attempts")).isEqualTo("1");
        });
    }

    private static List<CSVRecord> read(Path out) throws IOException {
        try (Reader r = Files.newBufferedReader(out)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }
}

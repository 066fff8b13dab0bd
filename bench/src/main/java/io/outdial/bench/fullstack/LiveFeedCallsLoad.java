package io.outdial.bench.fullstack;

import io.outdial.bench.web.LiveFeedLoad;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What supervisors watching the live feed cost a node that is busy with calls, not JMH. A dialer node as a user
 * runs it ({@code serve}, embedded H2, its own process) holds {@code calls} concurrent calls on the sandbox PBX (in a
 * process of its own; every callee answers and stays on the line for {@code holdS} seconds; the flow speaks a
 * question and waits for a key that never comes). Once all calls are up, rounds alternate between no viewer and
 * {@code viewers} viewers of {@code GET /api/ui/live} (Server-Sent Events, each signed in with the node's API token),
 * opened by a second JVM ({@link LiveFeedLoad} in client mode) so their own CPU is not counted. For each round, after
 * {@code warmupS} seconds, the node's process CPU ({@code /proc/<pid>/stat}) over {@code measureS} seconds is the
 * figure; the <b>baseline</b> is the rounds with no viewer in the same run, with the same calls up. The PBX's count
 * of live calls is checked before and after every round.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.fullstack.LiveFeedCallsLoad}; system properties
 * {@code calls} 1000, {@code viewers} 100, {@code rounds} 2 (pairs of a no-viewer and a viewers round), {@code holdS}
 * 900, {@code rampPerSecond} 50, {@code warmupS} 10, {@code measureS} 30, {@code dialerJar} dialer/target/dialer.jar
 * (the node is {@code java -jar dialer.jar serve}; run from the repository root after
 * {@code mvn -B -q -pl bench -am package -DskipTests}), {@code dir} (a temporary directory). It stops by itself: the
 * calls end with the node, at the latest after {@code holdS}.
 */
public final class LiveFeedCallsLoad {
    private static final int CALLS = Integer.getInteger("calls", 1000);
    private static final int VIEWERS = Integer.getInteger("viewers", 100);
    private static final int ROUNDS = Integer.getInteger("rounds", 2);
    private static final int HOLD_S = Integer.getInteger("holdS", 900);
    private static final int RAMP = Integer.getInteger("rampPerSecond", 50);
    private static final int WARMUP_S = Integer.getInteger("warmupS", 10);
    private static final int MEASURE_S = Integer.getInteger("measureS", 30);
    private static final String FLOW_ID = "feed-hold";
    /** A spoken question, then a wait for a key far longer than the callee stays on the line. */
    private static final String FLOW = "id: " + FLOW_ID + "\nversion: 1\nname: Live feed load\nstart: ask\nnodes:\n"
        + "  ask:\n    type: gather\n"
        + "    prompt: {say: \"Hello, please hold the line.\"}\n"
        + "    menu:\n      \"1\": bye\n    timeout: 3600\n    retries: 0\n    onFail: bye\n"
        + "  bye:\n    type: hangup\n";

    private LiveFeedCallsLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = System.getProperty("dir") != null ? Path.of(System.getProperty("dir"))
            : Files.createTempDirectory("livefeed-calls");
        Files.createDirectories(dir);
        Path jar = Path.of(System.getProperty("dialerJar", "dialer/target/dialer.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it with mvn -B -q -pl bench -am package"
                + " -DskipTests from the repository root");
        }
        System.out.printf(Locale.ROOT, "live feed under calls: %d calls held %d s, %d viewers, %d rounds, warm-up %d s,"
            + " measured %d s, %d CPUs, load %s, logs in %s%n", CALLS, HOLD_S, VIEWERS, ROUNDS, WARMUP_S, MEASURE_S,
            Runtime.getRuntime().availableProcessors(), ProcCpu.loadAverage(), dir);
        try (PbxProcess pbx = new PbxProcess(TimeUnit.HOURS.toMillis(2), HOLD_S, dir.resolve("pbx.log"));
             DialerProcess node = new DialerProcess("feed", jar, dir, pbx.port(), null, CALLS, List.of())) {
            node.call("PUT", "/api/v1/flows/" + FLOW_ID, "application/yaml", FLOW, 201);
            fill(node, pbx);
            List<double[]> rows = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                rows.add(round(node, pbx, 0));
                rows.add(round(node, pbx, VIEWERS));
            }
            double base = rows.stream().filter(x -> x[0] == 0).mapToDouble(x -> x[1]).average().orElse(Double.NaN);
            double with = rows.stream().filter(x -> x[0] > 0).mapToDouble(x -> x[1]).average().orElse(Double.NaN);
            System.out.println("| round | viewers | calls up (before / after) | node CPU ms/s | events/s per viewer |"
                + " KB/s per viewer |");
            System.out.println("|---:|---:|---|---:|---:|---:|");
            for (int i = 0; i < rows.size(); i++) {
                double[] x = rows.get(i);
                System.out.printf(Locale.ROOT, "| %d | %d | %d / %d | %.1f | %.2f | %.2f |%n", i + 1, (int) x[0],
                    (int) x[4], (int) x[5], x[1], x[2], x[3]);
            }
            System.out.printf(Locale.ROOT, "node CPU with %d viewers %.1f ms/s vs %.1f ms/s with none: the viewers"
                + " cost %.2f %% of one core (target < 5 %%); ratio %.3f%n", VIEWERS, with, base, (with - base) / 10,
                with / base);
        }
    }

    /** Creates the campaign of {@code calls} contacts, starts it and waits until the PBX has them all up. */
    private static void fill(DialerProcess node, PbxProcess pbx) throws IOException {
        node.call("POST", "/api/v1/campaigns", "application/json", "{\"id\":\"feed\",\"name\":\"Live feed load\","
            + "\"region\":\"FR\",\"timeZone\":\"Europe/Paris\",\"flowId\":\"" + FLOW_ID + "\","
            + "\"calendar\":{\"everyDay\":[\"00:00-24:00\"]},\"trunk\":{\"name\":\"carrier\"},"
            + "\"limits\":{\"lines\":" + CALLS + ",\"perSecond\":" + RAMP + "},"
            + "\"attempts\":{\"totalCap\":1,\"dailyCap\":1}}", 201);
        JsonObject imp = node.call("POST", "/api/v1/campaigns/feed/imports?name=contacts.csv", "text/csv",
            DialerSteps.contactsCsv(1, CALLS), 202);
        String importId = String.valueOf(imp.getValue("importId"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!"COMPLETED".equals(new JsonObject(node.get("/api/v1/imports/" + importId).body()).getString("state"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("import not completed in 120 s");
            }
            DialerProcess.pause(200);
        }
        long t0 = System.nanoTime();
        node.call("POST", "/api/v1/campaigns/feed/state", "application/json", "{\"state\": \"RUNNING\"}", 200);
        deadline = t0 + TimeUnit.SECONDS.toNanos(60L + 3L * CALLS / Math.max(1, RAMP));
        int live = 0;
        while (live < CALLS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + live + " of " + CALLS + " calls up; see " + node.log());
            }
            DialerProcess.pause(500);
            live = pbx.live();
        }
        System.out.printf(Locale.ROOT, "%d calls up after %.1f s%n", live, (System.nanoTime() - t0) / 1e9);
    }

    /** One round: {@code n} viewers (0: none) connect, warm up, then the node's CPU over the window. */
    private static double[] round(DialerProcess node, PbxProcess pbx, int n) throws Exception {
        int before = pbx.live();
        LiveFeedLoad.Viewers viewers = n > 0
            ? LiveFeedLoad.Viewers.open(n, node.port(), node.token(), WARMUP_S, MEASURE_S) : null;
        DialerProcess.pause(WARMUP_S * 1000L);
        double cpu0 = node.cpuMillis();
        long t0 = System.nanoTime();
        DialerProcess.pause(MEASURE_S * 1000L);
        double cpuMsPerS = (node.cpuMillis() - cpu0) / ((System.nanoTime() - t0) / 1e9);
        double[] rates = viewers == null ? new double[2] : viewers.report();
        double events = rates[0];
        double kb = rates[1] / 1024;
        int after = pbx.live();
        System.out.printf(Locale.ROOT, "%d viewers: node CPU %.1f ms/s, %.2f events/s and %.2f KB/s per viewer,"
            + " calls up %d / %d, load %s%n", n, cpuMsPerS, events, kb, before, after, ProcCpu.loadAverage());
        return new double[] {n, cpuMsPerS, events, kb, before, after};
    }
}

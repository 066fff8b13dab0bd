package io.outdial.bench.telephony;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.ari.BenchTaps;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.vertx.core.Vertx;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Telephony load run (issue 4 "Benchmark"), not JMH: the real ARI client and call engine against the sandbox PBX
 * in a separate JVM over loopback. Each call: originate → answer → play a prompt → the callee presses 1 → the dialer
 * hangs up. Reports, against a bare baseline in the same run (a plain Vert.x WebClient originate loop plus a
 * websocket that only counts StasisStart frames, same sandbox, same window of calls being set up):
 * <ul>
 *   <li>sustained set-ups per second (originate → StasisStart reached the engine), engine / baseline;</li>
 *   <li>p50/p99/max of StasisStart received → play request sent and ChannelDtmfReceived → hangup request sent,
 *       at saturation (the closed loop above) and at a steady {@code rate} (open loop, the target 500/s);</li>
 *   <li>peak concurrent calls, and heap per live call: 5,000 answered calls held in their flow, used heap after GC
 *       minus the idle used heap after GC, divided by the number of calls.</li>
 * </ul>
 * Run with {@code java -Xmx512m -cp bench/target/benchmarks.jar io.outdial.bench.telephony.CallLoad} (system
 * properties {@code calls} 10000, {@code warmup} 3000, {@code window} 256, {@code held} 5000, {@code dtmfMs} 2000,
 * {@code ringMs} 0, {@code rounds} 2, {@code baseline} flow|originate, {@code rate} 500 for the paced latency phase). Every phase is bounded by {@code phaseTimeoutS} (180 s).
 */
public final class CallLoad {
    private static final int CALLS = Integer.getInteger("calls", 10_000);
    private static final int WARMUP = Integer.getInteger("warmup", 3_000);
    private static final int WINDOW = Integer.getInteger("window", 256);
    private static final int HELD = Integer.getInteger("held", 5_000);
    private static final int DTMF_MS = Integer.getInteger("dtmfMs", 2_000);
    private static final int RING_MS = Integer.getInteger("ringMs", 0);
    private static final int ROUNDS = Integer.getInteger("rounds", 2);
    private static final int RATE = Integer.getInteger("rate", 500);
    private static final boolean BASELINE_FLOW = !"originate".equals(System.getProperty("baseline", "flow"));
    private static final String BASELINE_NUMBERS = BASELINE_FLOW ? "+1555100" : "+1555300";
    static final long PHASE_TIMEOUT_S = Long.getLong("phaseTimeoutS", 180);

    private CallLoad() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.out.println("baseline mode: " + (BASELINE_FLOW ? "flow (same requests as the engine)" : "originate only"));
        System.out.printf(Locale.ROOT, "telephony load: calls %d x %d rounds, warm-up %d, window %d, held %d, ring %d ms,"
                + " DTMF %d ms after answer, max heap %d MB, %d CPUs, load average %s%n", CALLS, ROUNDS, WARMUP, WINDOW,
            HELD, RING_MS, DTMF_MS, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
            loadAverage());
        Process sandbox = startSandbox();
        Vertx vertx = Vertx.vertx();
        try {
            int port = readPort(sandbox);
            run(vertx, port);
        } finally {
            sandbox.getOutputStream().close();
            if (!sandbox.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                sandbox.destroyForcibly();
            }
            vertx.close().await();
        }
        System.out.println("load average at the end: " + loadAverage());
        System.exit(0);
    }

    private static void run(Vertx vertx, int port) throws Exception {
        String url = "http://127.0.0.1:" + port;
        LatencyTap tap = new LatencyTap();
        AriServer server = new AriServer(vertx, new AriServerConfig("load", url, LoadSandbox.USER,
            LoadSandbox.PASSWORD, "bench-engine", 256, Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofMillis(200), Duration.ofSeconds(5)), Clock.systemUTC());
        BenchTaps.tap(server, tap);
        Trunk trunk = new Trunk(new TrunkConfig("load", "PJSIP/{number}@carrier", List.of("+15550000000"), false,
            1_000_000, 1_000_000, Duration.ofSeconds(30), false));
        EngineDriver.Listener listener = new EngineDriver.Listener();
        CallEngine engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), Map.of("load", trunk)::get,
            Clock.systemUTC(), listener);
        server.start().await();
        Baseline baseline = Baseline.connect(vertx, port);
        EngineDriver driver = new EngineDriver(engine, trunk, listener, new LoadFlow());

        System.out.println("warm-up ...");
        baseline.run(BASELINE_NUMBERS, WARMUP, WINDOW, BASELINE_FLOW);
        driver.run("w", "+1555100", WARMUP, WINDOW);
        driver.awaitIdle();

        double[] base = new double[ROUNDS];
        double[] eng = new double[ROUNDS];
        int peak = 0;
        for (int r = 0; r < ROUNDS; r++) {
            base[r] = baseline.run(BASELINE_NUMBERS, CALLS, WINDOW, BASELINE_FLOW);
            System.out.printf(Locale.ROOT, "round %d baseline: %.0f set-ups/s%n", r + 1, base[r]);
            tap.reset();
            tap.recording(true);
            EngineDriver.Result res = driver.run("r" + r, "+1555100", CALLS, WINDOW);
            driver.awaitIdle();
            tap.recording(false);
            eng[r] = res.setupsPerSecond();
            peak = Math.max(peak, res.peakActive());
            System.out.printf(Locale.ROOT, "round %d engine:   %.0f set-ups/s (%.2f of baseline), peak %d concurrent, "
                    + "outcomes %s%n", r + 1, eng[r], eng[r] / base[r], res.peakActive(), res.outcomes());
            print("  at saturation: StasisStart -> play request  ", tap.stasisToPlay());
            print("  at saturation: DTMF -> hangup request       ", tap.dtmfToHangup());
            tap.reset();
            tap.recording(true);
            EngineDriver.Result steady = driver.paced("p" + r, "+1555100", CALLS, RATE);
            driver.awaitIdle();
            tap.recording(false);
            peak = Math.max(peak, steady.peakActive());
            System.out.printf(Locale.ROOT, "round %d paced at %d/s: %.0f set-ups/s, peak %d concurrent, outcomes %s%n",
                r + 1, RATE, steady.setupsPerSecond(), steady.peakActive(), steady.outcomes());
            print("  at " + RATE + "/s: StasisStart -> play request    ", tap.stasisToPlay());
            print("  at " + RATE + "/s: DTMF -> hangup request         ", tap.dtmfToHangup());
        }
        System.out.printf(Locale.ROOT, "SUMMARY set-ups/s: engine %s, baseline %s, ratio %s%n", fmt(eng), fmt(base),
            ratios(eng, base));

        long idle = usedAfterGc();
        EngineDriver.Result held = driver.hold("h", "+1555200", HELD, WINDOW);
        long loaded = usedAfterGc();
        int live = engine.activeCalls();
        System.out.printf(Locale.ROOT, "HELD %d calls answered and in their flow (%d live): heap idle %.1f MB, with calls "
                + "%.1f MB, %.2f KB per live call (max heap %d MB)%n", held.answered(), live, idle / 1048576.0,
            loaded / 1048576.0, (loaded - idle) / 1024.0 / Math.max(1, live), Runtime.getRuntime().maxMemory() >> 20);
        driver.hangupAll();
        driver.awaitIdle();
        System.out.printf(Locale.ROOT, "PEAK concurrent calls %d (held phase %d)%n", Math.max(peak, held.peakActive()),
            held.peakActive());
        baseline.close();
        server.stop().await();
    }

    private static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%s n=%d p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", what,
            h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
            h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", d));
        }
        return sb.toString();
    }

    private static String ratios(double[] a, double[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.2f", a[i] / b[i]));
        }
        return sb.toString();
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static Process startSandbox() throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            LoadSandbox.class.getName(), Integer.toString(RING_MS), Integer.toString(DTMF_MS))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static int readPort(Process p) throws java.io.IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("the sandbox process did not print its port");
    }

    static CallRequest request(String id, String phone, Trunk trunk, LoadFlow flow) {
        return new CallRequest(id, "load", id, phone, Map.of(), trunk, 1, id, false, MachinePolicy.HANG_UP, flow,
            Map.of());
    }
}

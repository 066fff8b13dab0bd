package io.outdial.bench.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outdial.dialer.web.WebUi;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * CPU cost of the web UI's live feed ({@code GET /api/ui/live}, Server-Sent Events) as its viewers grow, not JMH.
 * This process serves the real {@link WebUi} feed on loopback over a meter registry shaped like a busy node
 * ({@code campaigns} dialing campaigns with lines, contact counters and outcomes; {@code trunks} trunks), its meters
 * changing all the time. A second JVM (this class with argument {@code clients}) opens {@code n} SSE connections and
 * counts the events and bytes each gets, so the client side's CPU is not in this process's figure. For each viewer
 * count of {@code viewers} (default 0, 1, 10, 100), after a warm-up of {@code warmupS} seconds, this process's CPU
 * time over {@code measureS} seconds is the figure; the <b>baseline</b> is one viewer in the same run.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.web.LiveFeedLoad}; system properties
 * {@code viewers} "0,1,10,100", {@code campaigns} 20, {@code trunks} 4, {@code warmupS} 5, {@code measureS} 20.
 * The run stops by itself.
 */
public final class LiveFeedLoad {
    private static final int CAMPAIGNS = Integer.getInteger("campaigns", 20);
    private static final int TRUNKS = Integer.getInteger("trunks", 4);
    private static final int WARMUP_S = Integer.getInteger("warmupS", 5);
    private static final int MEASURE_S = Integer.getInteger("measureS", 20);
    private static final String[] OUTCOMES = {"ANSWERED", "NO_ANSWER", "BUSY", "FAILED", "REJECTED"};
    private static final AtomicLong[] ATTEMPTS = new AtomicLong[CAMPAIGNS * OUTCOMES.length];

    static {
        for (int i = 0; i < ATTEMPTS.length; i++) {
            ATTEMPTS[i] = new AtomicLong();
        }
    }

    private LiveFeedLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                args.length > 4 ? args[4] : null);
            return;
        }
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Vertx vertx = Vertx.vertx();
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong[] inUse = busyNode(registry);
        long churn = vertx.setPeriodic(50, id -> {
            for (int i = 0; i < inUse.length; i++) {
                inUse[i].set((inUse[i].get() + 1 + i) % 30);
            }
            ATTEMPTS[(int) (Math.random() * ATTEMPTS.length)].incrementAndGet();
        });
        Router router = Router.router(vertx);
        new WebUi(vertx, registry, Clock.systemUTC()).routes(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "live feed: %d campaigns, %d trunks, warm-up %d s, measured %d s, %d CPUs,"
            + " load average %.2f%n", CAMPAIGNS, TRUNKS, WARMUP_S, MEASURE_S, Runtime.getRuntime().availableProcessors(),
            os.getSystemLoadAverage());
        List<double[]> rows = new ArrayList<>();
        for (String v : System.getProperty("viewers", "0,1,10,100").split(",")) {
            int n = Integer.parseInt(v.trim());
            rows.add(round(n, server.actualPort(), os));
        }
        double base = rows.stream().filter(r -> r[0] == 1).mapToDouble(r -> r[1]).findFirst().orElse(Double.NaN);
        System.out.println("| viewers | server CPU ms/s | ratio to 1 viewer | events/s per viewer | KB/s per viewer |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (double[] r : rows) {
            System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |%n", (int) r[0], r[1], r[1] / base, r[2],
                r[3]);
        }
        vertx.cancelTimer(churn);
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Meters like a dialing node's: lines per level, each campaign's live calls, reasons, contacts, outcomes. */
    private static AtomicLong[] busyNode(MeterRegistry registry) {
        List<AtomicLong> values = new ArrayList<>();
        gauge(registry, values, "outdial_lines_in_use", "level", "global", "name", "node");
        registry.gauge("outdial_lines_limit", List.of(io.micrometer.core.instrument.Tag.of("level", "global"),
            io.micrometer.core.instrument.Tag.of("name", "node")), 300);
        for (int t = 0; t < TRUNKS; t++) {
            gauge(registry, values, "outdial_lines_in_use", "level", "trunk", "name", "trunk" + t);
            Gauge.builder("outdial_lines_limit", () -> 60).tags("level", "trunk", "name", "trunk" + t).register(registry);
        }
        for (int c = 0; c < CAMPAIGNS; c++) {
            String id = "c" + c;
            gauge(registry, values, "outdial_lines_in_use", "level", "campaign", "name", id);
            Gauge.builder("outdial_lines_limit", () -> 15).tags("level", "campaign", "name", id).register(registry);
            gauge(registry, values, "outdial_campaign_live_calls", "campaign", id);
            for (String state : new String[] {"waiting", "dialing", "closed"}) {
                Gauge.builder("outdial_campaign_contacts", () -> 1000).tags("campaign", id, "state", state)
                    .register(registry);
            }
            Gauge.builder("outdial_campaign_reason", () -> 1).tags("campaign", id, "reason", "dialing")
                .register(registry);
            for (int o = 0; o < OUTCOMES.length; o++) {
                AtomicLong n = ATTEMPTS[c * OUTCOMES.length + o];
                FunctionCounter.builder("outdial_campaign_attempts", n, AtomicLong::doubleValue)
                    .tags("campaign", id, "outcome", OUTCOMES[o].toLowerCase(Locale.ROOT)).register(registry);
            }
        }
        return values.toArray(new AtomicLong[0]);
    }

    private static void gauge(MeterRegistry registry, List<AtomicLong> values, String name, String... tags) {
        AtomicLong v = new AtomicLong();
        values.add(v);
        Gauge.builder(name, v, AtomicLong::doubleValue).tags(tags).register(registry);
    }

    /** One viewer count: the client JVM's viewers connect, warm up, then this process's CPU over the window. */
    private static double[] round(int n, int port, com.sun.management.OperatingSystemMXBean os) throws Exception {
        Viewers viewers = n > 0 ? Viewers.open(n, port, null, WARMUP_S, MEASURE_S) : null;
        Thread.sleep(WARMUP_S * 1000L);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE_S * 1000L);
        double cpuMsPerS = (os.getProcessCpuTime() - cpu0) / 1e6 / ((System.nanoTime() - t0) / 1e9);
        double[] rates = viewers == null ? new double[2] : viewers.report();
        System.out.printf(Locale.ROOT, "%d viewers: server CPU %.2f ms/s, %.2f events/s and %.2f KB/s per viewer%n", n,
            cpuMsPerS, rates[0], rates[1] / 1024);
        return new double[] {n, cpuMsPerS, rates[0], rates[1] / 1024};
    }

    /**
     * {@code n} live-feed viewers in a client JVM of their own (this class in client mode), so their CPU is not the
     * measured process's: {@link #open} returns once all are connected; they warm up {@code warmupS} seconds, count
     * over {@code measureS} seconds, and {@link #report} returns the rates of that window.
     */
    public static final class Viewers {
        private final Process process;
        private final BufferedReader out;

        private Viewers(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Starts the client JVM against {@code 127.0.0.1:port}, signed in with {@code token} (null: none). */
        public static Viewers open(int n, int port, String token, int warmupS, int measureS) throws IOException {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-DwarmupS=" + warmupS,
                "-DmeasureS=" + measureS, "-cp", System.getProperty("java.class.path"), LiveFeedLoad.class.getName(),
                "clients", Integer.toString(n), Integer.toString(port), Integer.toString(warmupS + measureS + 2)));
            if (token != null) {
                cmd.add(token);
            }
            Viewers v = new Viewers(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            String ready = v.out.readLine();
            if (ready == null || !ready.startsWith("connected")) {
                v.process.destroyForcibly();
                throw new IllegalStateException("the client JVM did not connect its viewers: " + ready);
            }
            return v;
        }

        /** Waits for the measured window's end: {events/s per viewer, bytes/s per viewer}; the client JVM exits. */
        public double[] report() throws IOException, InterruptedException {
            String line = out.readLine(); // "measured <events/s per viewer> <bytes/s per viewer>"
            if (line == null || !line.startsWith("measured ")) {
                process.destroyForcibly();
                throw new IllegalStateException("the client JVM did not report: " + line);
            }
            String[] p = line.split(" ");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new double[] {Double.parseDouble(p[1]), Double.parseDouble(p[2])};
        }
    }

    /**
     * The client JVM: {@code n} SSE viewers for {@code seconds} s; reports the rates over the measured window. With a
     * {@code token}, each viewer signs in with it ({@code Authorization: Bearer}), as a script would on a real node.
     */
    private static void clients(int n, int port, int seconds, String token) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(n));
        LongAdder events = new LongAdder();
        LongAdder bytes = new LongAdder();
        List<io.vertx.core.Future<?>> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            opened.add(http.request(HttpMethod.GET, WebUi.LIVE_PATH).compose(req -> {
                if (token != null) {
                    req.putHeader("Authorization", "Bearer " + token);
                }
                return req.send();
            }).map(res -> {
                if (res.statusCode() != 200) {
                    throw new IllegalStateException("the live feed answered " + res.statusCode());
                }
                res.handler(buf -> {
                    bytes.add(buf.length());
                    String s = buf.toString(StandardCharsets.UTF_8);
                    for (int k = s.indexOf("\n\n"); k >= 0; k = s.indexOf("\n\n", k + 2)) {
                        events.increment();
                    }
                });
                return res;
            }));
        }
        io.vertx.core.Future.all(opened).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("connected " + n);
        System.out.flush();
        Thread.sleep(WARMUP_S * 1000L);
        long e0 = events.sum();
        long b0 = bytes.sum();
        long t0 = System.nanoTime();
        Thread.sleep(MEASURE_S * 1000L);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "measured %.3f %.1f%n", (events.sum() - e0) / s / n, (bytes.sum() - b0) / s / n);
        System.out.flush();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.exit(0);
    }
}

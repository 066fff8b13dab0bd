package io.outdial.bench.fullstack;

import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Full-stack load run, not JMH: the dialer as a user runs it ({@code java -jar dialer.jar serve}, driven through its
 * API: campaign runner, database, ARI client, call engine, a flow whose gather asks with a spoken prompt) in its own
 * process, against the sandbox PBX in another ({@link FullStackPbx}), on embedded H2 and on PostgreSQL (a server of
 * its own on loopback, {@link Postgres}). In the same run, before each dialer step, a raw originate loop
 * ({@link RawLoop}: a bare WebClient and websocket, no database) places the same calls on the same PBX. Each step is
 * a bounded number of calls at a paced rate or at saturation (no rate limit, at most {@code saturationLines} calls
 * alive). Figures, from the PBX's own records where they can be: set-ups/s (originations per second as the PBX
 * stamped them), the most originations in any sliding 1 s window and the windows over the limit, the dialer
 * process's CPU per call (and net of its idle CPU), PostgreSQL's CPU per call, and how far the campaign's live-call
 * count leads the PBX's live calls.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.fullstack.FullStackLoad} from the repository root
 * (system properties: {@code rates} 50,100,200,400,800,0 where 0 is saturation, {@code seconds} 3 (calls of a paced
 * step = rate x seconds), {@code saturationCalls} 2400, {@code saturationLines} 500, {@code lines} 2000 (paced
 * steps), {@code engines} h2,postgresql, {@code dtmfMs} 1000, {@code warmupCalls} 600, {@code dialerJar}
 * dialer/target/dialer.jar (empty: the harness's class path), {@code dialerJvmArgs} (e.g. a JFR recording),
 * {@code dir} (a new temporary directory), {@code wire} false: true also counts the dialer's originate requests as
 * they went on the wire ({@link WireCapture}, needs tcpdump)).
 */
public final class FullStackLoad {
    /** The dialer's database on the run's PostgreSQL server. */
    static final String DATABASE = "outdial_bench";

    private FullStackLoad() {
    }

    /** What to run. */
    public record Options(List<Integer> rates, int seconds, int saturationCalls, int saturationLines, int lines,
                          List<String> engines, long dtmfMs, int warmupCalls, Path dialerJar,
                          List<String> dialerJvmArgs, Path dir) {
        public static Options fromSystemProperties() throws IOException {
            String jar = System.getProperty("dialerJar", "dialer/target/dialer.jar");
            String dir = System.getProperty("dir", "");
            String jvm = System.getProperty("dialerJvmArgs", "");
            return new Options(ints(System.getProperty("rates", "50,100,200,400,800,0")),
                Integer.getInteger("seconds", 3), Integer.getInteger("saturationCalls", 2400),
                Integer.getInteger("saturationLines", 500), Integer.getInteger("lines", 2000),
                List.of(System.getProperty("engines", "h2,postgresql").split(",")), Long.getLong("dtmfMs", 1000),
                Integer.getInteger("warmupCalls", 600), jar.isBlank() ? null : Path.of(jar).toAbsolutePath(),
                jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+")),
                dir.isBlank() ? Files.createTempDirectory("outdial-fullstack-") : Path.of(dir).toAbsolutePath());
        }

        private static List<Integer> ints(String csv) {
            return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
        }
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        Options o = Options.fromSystemProperties();
        List<Step> steps = run(o);
        print(steps);
        System.exit(0);
    }

    /** Runs every step of {@code o}; returns raw and dialer steps in pairs (raw first). */
    public static List<Step> run(Options o) throws Exception {
        Files.createDirectories(o.dir());
        System.out.printf(Locale.ROOT, "full-stack load: rates %s (0 = saturation, %d calls on %d lines), %d s of"
                + " calls a paced step, engines %s, key %d ms after the answer, dialer %s, %d CPUs, load average %s,"
                + " logs in %s%n", o.rates(), o.saturationCalls(), o.saturationLines(), o.seconds(), o.engines(),
            o.dtmfMs(), o.dialerJar() == null ? "from the class path" : o.dialerJar(),
            Runtime.getRuntime().availableProcessors(), ProcCpu.loadAverage(), o.dir());
        if (o.dialerJar() != null && !Files.isRegularFile(o.dialerJar())) {
            throw new IllegalStateException(o.dialerJar() + " not found: build it with mvn -B -q -pl dialer -am"
                + " package -DskipTests, or pass -DdialerJar= to run the dialer from the class path");
        }
        List<Step> steps = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try (PbxProcess pbx = new PbxProcess(o.dtmfMs(), o.dir().resolve("pbx.log"));
             RawLoop raw = new RawLoop(vertx, pbx.port());
             WireCapture wire = Boolean.getBoolean("wire") ? WireCapture.start(pbx.port(), o.dir()) : null) {
            for (String engine : o.engines()) {
                runEngine(o, engine, pbx, raw, wire, steps);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        return steps;
    }

    private static void runEngine(Options o, String engine, PbxProcess pbx, RawLoop raw, WireCapture wire,
                                  List<Step> steps) throws Exception {
        boolean pg = engine.equals("postgresql");
        if (!pg && !engine.equals("h2")) {
            throw new IllegalArgumentException("engine " + engine + ": expected h2 or postgresql");
        }
        int maxLines = Math.max(o.lines(), o.saturationLines());
        try (Postgres postgres = pg ? Postgres.start() : null;
             DialerProcess dialer = new DialerProcess(engine, o.dialerJar(), o.dir(), pbx.port(),
                 postgres == null ? null : postgres.createDatabase(DATABASE), maxLines, o.dialerJvmArgs())) {
            double idle = idleCpuMsPerSecond(dialer);
            System.out.printf(Locale.ROOT, "%s: dialer ready (pid %d, log %s), idle CPU %.1f ms/s%n", engine,
                dialer.pid(), dialer.log(), idle);
            DialerSteps dialing = new DialerSteps(dialer, pbx, postgres, engine, idle, wire);
            long self = ProcessHandle.current().pid();
            if (o.warmupCalls() > 0) {
                Step w = dialing.run(o.warmupCalls(), 200, o.lines(), 120);
                System.out.printf(Locale.ROOT, "%s: warm-up %d calls, %d completed%n", engine, w.calls(),
                    w.completed());
            }
            String media = pbx.lastMediaUrl();
            if (media == null) {
                throw new IllegalStateException("the dialer's warm-up fetched no spoken prompt; see " + dialer.log());
            }
            if (o.warmupCalls() > 0) {
                raw.run("+33799", o.warmupCalls(), 200, o.lines(), "sound:" + media, 120);
            }
            double rawIdle = idleCpuMsPerSecond(self);
            int step = 0;
            for (int rate : o.rates()) {
                step++;
                int n = rate > 0 ? rate * o.seconds() : o.saturationCalls();
                int lines = rate > 0 ? o.lines() : o.saturationLines();
                long timeoutS = 60 + (rate > 0 ? 3L * n / rate : n / 50);
                int[] mark = pbx.mark();
                double cpu0 = ProcCpu.millis(self, false);
                double jvm0 = ProcCpu.jvmOwnMillis(self);
                long t0 = System.nanoTime();
                RawLoop.Result r = raw.run(String.format(Locale.ROOT, "+337%02d", step), n, rate, lines,
                    "sound:" + media, timeoutS);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Step rawStep = new Step(engine, "raw", rate, n, Math.min(r.answered(), r.ended()),
                    pbx.stats(mark, rate), seconds, ProcCpu.millis(self, false) - cpu0, rawIdle * seconds, 0, 0, 0, 0,
                    ProcCpu.loadAverage(), ProcCpu.jvmOwnMillis(self) - jvm0, 0);
                Step dialerStep = dialing.run(n, rate, lines, timeoutS);
                steps.add(rawStep);
                steps.add(dialerStep);
                System.out.println(line(rawStep));
                System.out.println(line(dialerStep));
            }
        }
    }

    /** CPU the process spends per second while nothing is dialed, over 3 s. */
    private static double idleCpuMsPerSecond(DialerProcess dialer) {
        return idleCpuMsPerSecond(dialer.pid());
    }

    private static double idleCpuMsPerSecond(long pid) {
        double c0 = ProcCpu.millis(pid, false);
        long t0 = System.nanoTime();
        DialerProcess.pause(3000);
        return (ProcCpu.millis(pid, false) - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    static String line(Step s) {
        return String.format(Locale.ROOT, "%-10s %-6s %5s/s %5d calls: %5d completed, %7.1f set-ups/s, most in 1 s %4d"
                + " (over %d), media %d fetched %d bad, %6.2f s, CPU %.2f ms/call (net of idle %.2f, JIT and GC %.2f),"
                + " PostgreSQL %.2f ms/call, database uses %.1f/call, live lag mean %.1f max %d (%d samples), load %s",
            s.engine(), s.side(),
            s.rate() == 0 ? "sat" : Integer.toString(s.rate()), s.calls(), s.completed(), s.setupsPerSecond(),
            s.pbx().mostInOneSecond(), s.pbx().overLimit(), s.pbx().mediaFetched(), s.pbx().mediaBad(), s.seconds(),
            s.cpuPerCall(), s.netCpuPerCall(), s.jvmPerCall(), s.postgresPerCall(), s.dbUsesPerCall(), s.lagMean(),
            s.lagMax(), s.samples(), s.load());
    }

    /** The summary table (Markdown), one row per engine and rate. */
    public static void print(List<Step> steps) {
        System.out.println();
        System.out.println("| engine | rate/s | raw set-ups/s | dialer set-ups/s | dialer / raw | most in 1 s (over)"
            + " | dialer CPU ms/call (net of idle) | of which JIT and GC | raw loop CPU ms/call"
            + " | PostgreSQL CPU ms/call | live lag mean / max | completed | load |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int i = 0; i + 1 < steps.size(); i += 2) {
            Step r = steps.get(i);
            Step d = steps.get(i + 1);
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.2f | %d (%d) | %.2f (%.2f) | %.2f | %.2f | %.2f"
                    + " | %.1f / %d | %d/%d | %s |%n", d.engine(), d.rate() == 0 ? "saturation" : d.rate(),
                r.setupsPerSecond(), d.setupsPerSecond(), d.setupsPerSecond() / Math.max(1e-9, r.setupsPerSecond()),
                d.pbx().mostInOneSecond(), d.pbx().overLimit(), d.cpuPerCall(), d.netCpuPerCall(), d.jvmPerCall(),
                r.cpuPerCall(), d.postgresPerCall(), d.lagMean(), d.lagMax(), d.completed(), d.calls(), d.load());
        }
    }
}

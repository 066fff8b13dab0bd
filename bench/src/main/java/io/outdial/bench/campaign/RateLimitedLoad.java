package io.outdial.bench.campaign;

import com.sun.management.OperatingSystemMXBean;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.dialing.BenchRunners;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.bench.fullstack.FullStackPbx;
import io.outdial.bench.fullstack.PbxProcess;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.LoggerFactory;

/**
 * What a rate-limited campaign costs while it waits: a campaign limited to {@code perSecond} calls/s with
 * {@code contacts} contacts due (H2 file database; the sandbox PBX in a process of its own on loopback, every callee
 * busy after 50 ms). Process CPU (user + system, {@code OperatingSystemMXBean.getProcessCpuTime}) over
 * {@code seconds} of dialing, divided by the wall time: the share of one core this process used. Where it went is
 * read per thread from {@code /proc/self/task} (Linux), so the JIT compiler and the collector's own threads are
 * told apart from the dialer's threads.
 *
 * <p>A long-running node has its dialing path compiled; at 2 calls/s the JIT would take most of an hour to get
 * there. So first a warm-up campaign of {@code warmUpCalls} contacts (same callees, same runner code) is dialed at 100
 * calls/s to its end. <b>Baseline</b>, in the same run and JVM after that: the same process for the same time with
 * everything connected (PBX, ARI websocket, database) but no campaign running. Then the slow campaign runs for
 * {@code settleSeconds} and is measured over {@code seconds}. Its own cost is the difference.
 *
 * <p>{@code java -cp benchmarks.jar io.outdial.bench.campaign.RateLimitedLoad [contacts=100000] [perSecond=2]
 * [seconds=30] [settleSeconds=20] [warmUpCalls=3000]}
 */
public final class RateLimitedLoad {
    private RateLimitedLoad() { }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int settle = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int warmUpCalls = args.length > 4 ? Integer.parseInt(args[4]) : 3000;
        Vertx vertx = Vertx.vertx();
        Path dir = Files.createTempDirectory("ratelimited");
        PbxProcess pbx = new PbxProcess(TimeUnit.HOURS.toMillis(1), dir.resolve("pbx.log"));
        Trunk trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000000"), false,
                1000, 1000, Duration.ofSeconds(3), false));
        AriServer server = new AriServer(vertx, new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(),
                FullStackPbx.USER, FullStackPbx.PASSWORD, "ratelimited"), Clock.systemUTC());
        CallEngine engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), n -> trunk, Clock.systemUTC(),
                null);
        server.start().await();
        JdbcConnectionPool ds = JdbcConnectionPool.create(DatabaseConfig.h2FileUrl(dir.resolve("db")), "sa", "");
        ds.setMaxConnections(16);
        WorkerExecutor worker = vertx.createSharedWorkerExecutor("bench-run", 4);
        try {
            Database.migrate(ds);
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, Clock.systemUTC());
            JdbcContactStore store = new JdbcContactStore(ds);
            Database runnerDb = Database.open(vertx, ds, "bench", 4);
            CampaignRunner warmRunner = runner(vertx, campaigns, store, runnerDb, engine, trunk, "warm", warmUpCalls,
                    100, 0, worker);
            long warm0 = System.nanoTime();
            warmRunner.start().await();
            long warmDeadline = warm0 + TimeUnit.SECONDS.toNanos(10L * warmUpCalls / 100 + 120);
            while (pbx.mark()[0] < warmUpCalls && System.nanoTime() < warmDeadline) {
                Thread.sleep(200);
            }
            warmRunner.pause().await(); // busy callees are retried later: the warm-up stops at its count of calls
            System.out.printf("warm-up: %d calls at 100/s in %.1f s%n", warmUpCalls, (System.nanoTime() - warm0) / 1e9);
            CampaignRunner runner = runner(vertx, campaigns, store, runnerDb, engine, trunk, "slow", contacts,
                    perSecond, 1_000_000, worker);
            System.gc();
            Window idle = measure(seconds, pbx);
            runner.start().await();
            Thread.sleep(settle * 1000L); // the first counters' scan, the first rounds
            Window dialing = measure(seconds, pbx);
            runner.pause().await();
            System.out.println("idle (baseline)   " + idle);
            System.out.println("campaign dialing  " + dialing);
            double own = dialing.coreShare() - idle.coreShare();
            double ownJit = (dialing.jitSeconds - idle.jitSeconds) / dialing.seconds;
            System.out.printf("campaign's own cost: %.2f %% of a core (target < 1 %%), of which the JIT compiler"
                    + " %.2f %%; %.1f ms CPU per call; ratio dialing / idle %.2f%n", own * 100, ownJit * 100,
                    own * 1000 * dialing.seconds / dialing.calls, dialing.coreShare() / idle.coreShare());
        } finally {
            worker.close();
            server.stop().await();
            pbx.close();
            vertx.close().await();
            ds.dispose();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A RUNNING campaign {@code id} of {@code n} contacts, all due (numbers from {@code +1555} + {@code first}),
     * limited to {@code perSecond} calls/s on 50 lines, and a runner for it (not started).
     */
    private static CampaignRunner runner(Vertx vertx, JdbcCampaignStore campaigns, JdbcContactStore store,
                                         Database db, CallEngine engine, Trunk trunk, String id, int n,
                                         int perSecond, int first, WorkerExecutor worker) throws Exception {
        Instant now = Instant.now();
        campaigns.create(Campaign.draft(id, id, now));
        campaigns.moveTo(campaigns.get(id).orElseThrow(), CampaignState.RUNNING, "bench");
        for (int from = 0; from < n; from += 10_000) {
            List<JdbcContactStore.NewContact> list = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 10_000); i++) {
                list.add(new JdbcContactStore.NewContact(id, "c" + i, new PhoneSet(List.of(new Phone(
                        "mobile", String.format("+1555%07d", first + i), 0, false))), "UTC", Map.of(),
                        ContactState.WAITING, null, now.minusSeconds(60)));
            }
            store.insertAll(list);
        }
        CampaignSettings settings = new CampaignSettings(id, CallingCalendar.builder()
                .everyDay("00:00-24:00").build(), AttemptRules.defaults(), ZoneOffset.UTC,
                new LineLimits(1000, Map.of(), Map.of(id, 50)),
                new RateLimits(RateLimit.NONE, Map.of(), Map.of(id, new RateLimit(perSecond, 0))), false, 20);
        return BenchRunners.runner(vertx, db, engine, trunk, settings, null, "US", "bench", worker).runner();
    }

    /** Process CPU and calls over one window. */
    record Window(double seconds, double cpuSeconds, double jitSeconds, long calls) {
        double coreShare() {
            return cpuSeconds / seconds;
        }

        @Override
        public String toString() {
            return String.format("%5.1f s wall, %6.3f s CPU = %6.2f %% of a core (JIT compiler %.2f %%), %d calls"
                    + " (%.2f/s)", seconds, cpuSeconds, coreShare() * 100, jitSeconds / seconds * 100, calls,
                    calls / seconds);
        }
    }

    private static Window measure(int seconds, PbxProcess pbx) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, long[]> before = threadTicks();
        long gc0 = gcMillis();
        long calls0 = pbx.mark()[0];
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        // where the time went, per thread kind (digits stripped from the names): the JIT compiler and the
        // collector's threads apart from the dialer's
        Map<String, Long> byKind = new java.util.TreeMap<>();
        threadTicks().forEach((tid, now) -> {
            long[] was = before.get(tid);
            long d = (now[1] - (was == null ? 0 : was[1])) * 10;
            if (d > 0) {
                byKind.merge(THREAD_NAMES.get((int) now[0]), d, Long::sum);
            }
        });
        StringBuilder top = new StringBuilder();
        byKind.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.append(String.format(" %s %d ms,", e.getKey(), e.getValue())));
        long jit = byKind.entrySet().stream().filter(e -> e.getKey().contains("Compiler")).mapToLong(Map.Entry::getValue)
                .sum();
        System.out.printf("  threads:%s GC pauses %d ms; JIT compiler threads %d ms%n", top, gcMillis() - gc0, jit);
        return new Window(wall, cpu / 1e9, jit / 1e3, pbx.mark()[0] - calls0);
    }

    private static final List<String> THREAD_NAMES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Per live thread id: {index of its kind in THREAD_NAMES, user + system ticks} from /proc/self/task. */
    private static Map<String, long[]> threadTicks() throws java.io.IOException {
        Map<String, long[]> out = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "N");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int kind = THREAD_NAMES.indexOf(name);
                    if (kind < 0) {
                        THREAD_NAMES.add(name);
                        kind = THREAD_NAMES.size() - 1;
                    }
                    out.put(t.getFileName().toString(), new long[] {kind,
                        Long.parseLong(f[11]) + Long.parseLong(f[12])});
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended while we read it
                }
            }
        }
        return out;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }
}

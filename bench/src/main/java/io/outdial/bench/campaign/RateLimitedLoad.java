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
import io.outdial.dialer.dialing.RunnerClock;
import io.outdial.dialer.dialing.RunnerParts;
import io.outdial.dialer.dialing.RunnerWiring;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
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
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.LoggerFactory;

/**
 * What a rate-limited campaign costs while it waits: a campaign limited to {@code perSecond} calls/s with
 * {@code contacts} contacts due (H2 file database, the sandbox PBX on loopback in real time, every callee busy after
 * 50 ms). Process CPU (user + system, {@code OperatingSystemMXBean.getProcessCpuTime}) over {@code seconds} of
 * dialing, divided by the wall time: the share of one core the process used.
 *
 * <p>Baseline, in the same run and JVM just before: the same process for the same time with everything connected
 * (PBX, ARI websocket, database) but no campaign running. The campaign's own cost is the difference; it includes
 * the PBX's work for the calls (same JVM).
 *
 * <p>{@code java -cp benchmarks.jar io.outdial.bench.campaign.RateLimitedLoad [contacts=100000] [perSecond=2]
 * [seconds=25] [warmUpSeconds=30]}
 */
public final class RateLimitedLoad {
    private RateLimitedLoad() { }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 25;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Vertx vertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.busy(Duration.ofMillis(50)));
        Trunk trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000000"), false,
                1000, 1000, Duration.ofSeconds(3), false));
        AriServer server = new AriServer(vertx, new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(),
                "dialer", "dialer", "ratelimited"), Clock.systemUTC());
        CallEngine engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), n -> trunk, Clock.systemUTC(),
                null);
        server.start().await();
        Path dir = Files.createTempDirectory("ratelimited");
        JdbcConnectionPool ds = JdbcConnectionPool.create(DatabaseConfig.h2FileUrl(dir.resolve("db")), "sa", "");
        ds.setMaxConnections(16);
        WorkerExecutor worker = vertx.createSharedWorkerExecutor("bench-run", 4);
        try {
            Database.migrate(ds);
            Instant now = Instant.now();
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, Clock.systemUTC());
            campaigns.create(Campaign.draft("slow", "Slow", now));
            campaigns.moveTo(campaigns.get("slow").orElseThrow(), CampaignState.RUNNING, "bench");
            JdbcContactStore store = new JdbcContactStore(ds);
            for (int from = 0; from < contacts; from += 10_000) {
                List<JdbcContactStore.NewContact> list = new ArrayList<>();
                for (int i = from; i < Math.min(contacts, from + 10_000); i++) {
                    list.add(new JdbcContactStore.NewContact("slow", "c" + i, new PhoneSet(List.of(new Phone(
                            "mobile", String.format("+1555%07d", i), 0, false))), "UTC", Map.of(),
                            ContactState.WAITING, null, now.minusSeconds(60)));
                }
                store.insertAll(list);
            }
            CampaignSettings settings = new CampaignSettings("slow", CallingCalendar.builder()
                    .everyDay("00:00-24:00").build(), AttemptRules.defaults(), ZoneOffset.UTC,
                    new LineLimits(1000, Map.of(), Map.of("slow", 50)),
                    new RateLimits(RateLimit.NONE, Map.of(), Map.of("slow", new RateLimit(perSecond, 0))), false, 20);
            Database runnerDb = Database.open(vertx, ds, "bench", 4);
            RunnerParts parts = vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, engine, trunk, settings, null,
                    RunnerClock.real(java.time.Clock.systemUTC()), "US", "bench")).await();
            System.gc();
            Window idle = measure(seconds, pbx);
            CampaignRunner runner = new CampaignRunner(vertx, parts, worker);
            runner.start().await();
            Thread.sleep(warmUp * 1000L); // warm-up: the JIT compiles the dialing path, the first counters' scan
            Window dialing = measure(seconds, pbx);
            runner.pause().await();
            System.out.println("idle (baseline)   " + idle);
            System.out.println("campaign dialing  " + dialing);
            double own = dialing.coreShare() - idle.coreShare();
            System.out.printf("campaign's own cost: %.2f %% of a core (target < 1 %%), %.1f ms CPU per call;"
                    + " ratio dialing / idle %.2f%n", own * 100, own * 1000 * dialing.seconds / dialing.calls,
                    dialing.coreShare() / idle.coreShare());
        } finally {
            worker.close();
            server.stop().await();
            pbx.close().await();
            vertx.close().await();
            ds.dispose();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Process CPU and calls over one window. */
    record Window(double seconds, double cpuSeconds, long calls) {
        double coreShare() {
            return cpuSeconds / seconds;
        }

        @Override
        public String toString() {
            return String.format("%5.1f s wall, %6.3f s CPU = %6.2f %% of a core, %d calls (%.2f/s)", seconds,
                    cpuSeconds, coreShare() * 100, calls, calls / seconds);
        }
    }

    private static Window measure(int seconds, SandboxPbx pbx) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            before.put(id, threads.getThreadCpuTime(id));
        }
        long gc0 = gcMillis();
        long calls0 = pbx.originateCount();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        // where the time went: the busiest Java threads, collections; the rest is the JIT and other native work
        Map<String, Long> byThread = new java.util.TreeMap<>();
        long java = 0;
        for (long id : threads.getAllThreadIds()) {
            long now = threads.getThreadCpuTime(id);
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            if (now < 0 || info == null) {
                continue;
            }
            long d = now - before.getOrDefault(id, 0L);
            java += d;
            byThread.merge(info.getThreadName().replaceAll("[0-9]+", "N"), d, Long::sum);
        }
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(e -> top.append(String.format(" %s %.0f ms,", e.getKey(), e.getValue() / 1e6)));
        System.out.printf("  threads:%s Java threads %.0f ms, GC pauses %d ms, rest (JIT, GC threads) %.0f ms%n",
                top, java / 1e6, gcMillis() - gc0, (cpu - java) / 1e6);
        return new Window(wall, cpu / 1e9, pbx.originateCount() - calls0);
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }
}

package io.outdial.bench.campaign;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.server.HttpConfig;
import javax.sql.DataSource;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.dialing.BenchRunners;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.LoggerFactory;

/**
 * Line occupancy of a campaign runner (issue target: lines in use stay at or above 95 % of the campaign's line
 * limit while due contacts exist). One JVM, the sandbox PBX on loopback in real time, an H2 file database.
 *
 * <p>Callees (seeded random, the same mix for both runs): 60 % answer after 0.3-1.5 s and hang up 1-4 s later
 * (the flow waits for a key, so the callee ends the call), 20 % busy after 0.2-0.6 s, 10 % congestion after
 * 0.1-0.3 s, 10 % never answer (originate timeout 3 s). So a line is freed every few tens of milliseconds and the
 * runner must pick, write and originate the next contact at once to keep it busy.
 *
 * <p>Baseline, measured first in the same run against the same PBX and call engine: an ideal dialer that keeps
 * exactly {@code lines} calls going from an in-memory list (no database, no scheduler, no pacer): the most a
 * dialer can reach on this PBX. The runner's figure is reported as is and as a ratio to that baseline.
 *
 * <p>Occupancy = time-weighted mean of live calls (sampled every 5 ms) / line limit, over the window from the
 * first originate to the originate of the last contact (after that no due contact exists and the lines drain).
 *
 * <p>A second scenario runs a whole serving node ({@link DialerApp} with its {@code CampaignRunners}: campaigns
 * from the database, node limits, line sharing): two campaigns of weights 3 and 1 share one trunk of
 * {@code lines} lines. It reports the trunk's occupancy (live calls / trunk lines while both have due contacts)
 * and how the lines split (ideal 3:1).
 *
 * <p>{@code java -cp benchmarks.jar io.outdial.bench.campaign.OccupancyLoad [contacts=2000] [lines=50]}
 */
public final class OccupancyLoad {
    private static final String FLOW = String.join("\n",
            "id: wait-for-key",
            "version: 1",
            "start: ask",
            "nodes:",
            "  ask:",
            "    type: gather",
            "    prompt: {play: \"sound:hello\"}",
            "    menu: {\"1\": bye}",
            "    timeout: 30",
            "    retries: 0",
            "    onFail: bye",
            "  bye:",
            "    type: hangup",
            "");

    private OccupancyLoad() { }

    /** What one run measured. */
    record Result(String name, int calls, double seconds, double meanLive, int maxLive, int lines) {
        double occupancy() {
            return meanLive / lines;
        }

        @Override
        public String toString() {
            return String.format("%-36s %6d calls in %6.1f s (%5.1f calls/s): mean live %6.2f / %d lines = %5.1f %%,"
                    + " max live %d", name, calls, seconds, calls / seconds, meanLive, lines, occupancy() * 100,
                    maxLive);
        }
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int contacts = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Vertx vertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withHost("127.0.0.1")).await();
        Trunk trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000000"), false,
                100_000, 100_000, Duration.ofSeconds(3), false));
        FlowInterpreter flow = FlowInterpreter.of(FlowValidator.validate(FLOW, FlowDocuments.Format.YAML,
                VoiceCatalog.of(Map.of("freetts", Set.of("kevin16")))));
        AriServer server = new AriServer(vertx, new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(),
                "dialer", "dialer", "occupancy"), Clock.systemUTC());
        CallEngine engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), n -> trunk, Clock.systemUTC(),
                null);
        server.start().await();
        Path dir = Files.createTempDirectory("occupancy");
        JdbcConnectionPool ds = JdbcConnectionPool.create(DatabaseConfig.h2FileUrl(dir.resolve("db")), "sa", "");
        ds.setMaxConnections(16);
        try {
            Database.migrate(ds);
            script(pbx, "+1555", contacts, 1);
            script(pbx, "+1556", contacts, 1);
            // warm-up (JIT, connections), not reported
            baseline(vertx, engine, trunk, flow, numbers("+1555", Math.min(contacts, 300)), lines);
            Result base = baseline(vertx, engine, trunk, flow, numbers("+1555", contacts), lines);
            Result run = runner(vertx, ds, engine, trunk, flow, numbers("+1556", contacts), lines);
            System.out.println(base);
            System.out.println(run);
            System.out.printf("runner occupancy %.1f %% (target >= 95 %%), ratio to baseline %.3f%n",
                    run.occupancy() * 100, run.occupancy() / base.occupancy());
            script(pbx, "+1557", contacts, 2);
            script(pbx, "+1558", contacts, 3);
            Result shared = shared(pbx, dir.resolve("node"), contacts, lines);
            System.out.println(shared);
            System.out.printf("shared trunk occupancy %.1f %%, ratio to baseline %.3f%n", shared.occupancy() * 100,
                    shared.occupancy() / base.occupancy());
        } finally {
            server.stop().await();
            pbx.close().await();
            vertx.close().await();
            ds.dispose();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> numbers(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(String.format("%s%07d", prefix, i));
        }
        return out;
    }

    /** The same seeded callee mix for every prefix. */
    private static void script(SandboxPbx pbx, String prefix, int n, long seed) {
        Random rnd = new Random(seed);
        for (String number : numbers(prefix, n)) {
            int kind = rnd.nextInt(10);
            CalleeScript s;
            if (kind < 6) {
                s = CalleeScript.answerAfter(Duration.ofMillis(300 + rnd.nextInt(1200)))
                        .withHangupAfter(Duration.ofMillis(1000 + rnd.nextInt(3000)));
            } else if (kind < 8) {
                s = CalleeScript.busy(Duration.ofMillis(200 + rnd.nextInt(400)));
            } else if (kind < 9) {
                s = CalleeScript.congestion(Duration.ofMillis(100 + rnd.nextInt(200)));
            } else {
                s = CalleeScript.noAnswer();
            }
            pbx.scripts().registerNumber(number, s);
        }
    }

    /** Keeps exactly {@code lines} calls going from the list, no storage: the ceiling on this PBX. */
    private static Result baseline(Vertx vertx, CallEngine engine, Trunk trunk, FlowInterpreter flow,
                                   List<String> numbers, int lines) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        Promise<Void> lastStarted = Promise.promise();
        Promise<Void> allEnded = Promise.promise();
        Sampler sampler = new Sampler(engine::activeCalls);
        Runnable[] dialNext = new Runnable[1];
        dialNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= numbers.size()) {
                return;
            }
            if (i == numbers.size() - 1) {
                sampler.endWindow();
                lastStarted.tryComplete();
            }
            CallRequest req = new CallRequest("base-" + i, "baseline", "b" + i, numbers.get(i), Map.of(), trunk, 1,
                    null, false, null, flow, Map.of());
            engine.originate(req).onComplete(ar -> {
                if (ended.incrementAndGet() == numbers.size()) {
                    allEnded.tryComplete();
                }
                dialNext[0].run();
            });
        };
        sampler.start();
        engine.server().context().runOnContext(v -> {
            for (int k = 0; k < lines; k++) {
                dialNext[0].run();
            }
        });
        allEnded.future().toCompletionStage().toCompletableFuture().get(30 + numbers.size(), TimeUnit.SECONDS);
        return sampler.stop("baseline", numbers.size(), lines);
    }

    /** The real runner: contacts in the database, scheduler, pacer, attempt rows and outcomes stored. */
    private static Result runner(Vertx vertx, JdbcConnectionPool ds, CallEngine engine, Trunk trunk,
                                 FlowInterpreter flow, List<String> numbers, int lines) throws Exception {
        String id = "occupancy";
        Instant now = Instant.now();
        JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, Clock.systemUTC());
        campaigns.create(Campaign.draft(id, "Occupancy", now));
        campaigns.moveTo(campaigns.get(id).orElseThrow(), CampaignState.RUNNING, "bench");
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            list.add(new JdbcContactStore.NewContact(id, "c" + i, new PhoneSet(List.of(new Phone("mobile",
                    numbers.get(i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null, now.minusSeconds(1)));
        }
        new JdbcContactStore(ds).insertAll(list);
        CampaignSettings settings = new CampaignSettings(id, CallingCalendar.builder().everyDay("00:00-24:00").build(),
                AttemptRules.defaults().withCaps(1, 1), ZoneOffset.UTC,
                new LineLimits(100_000, Map.of(), Map.of(id, lines)),
                new RateLimits(RateLimit.NONE, Map.of(), Map.of()), false, Math.max(10, lines / 2));
        Database runnerDb = Database.open(vertx, ds, "bench", 4);
        WorkerExecutor worker = vertx.createSharedWorkerExecutor("occupancy-runner", 4);
        BenchRunners.Bench bench = BenchRunners.runner(vertx, runnerDb, engine, trunk, settings, flow, "US", "bench",
                worker);
        CampaignRunner runner = bench.runner();
        LimitKey key = LimitKey.campaign(id);
        Sampler sampler = new Sampler(bench.leasesInUse(key));
        Sampler calls = new Sampler(engine::activeCalls);
        AtomicBoolean windowOpen = new AtomicBoolean(true);
        sampler.start();
        calls.start();
        runner.start().await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + numbers.size());
        while (windowOpen.get() && System.nanoTime() < deadline) {
            if (bench.started() >= numbers.size()) {
                sampler.endWindow();
                calls.endWindow();
                windowOpen.set(false);
            }
            Thread.sleep(1);
        }
        Future<?> end = runner.finished();
        end.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        worker.close();
        System.out.println(calls.stop("runner (live calls in the engine)", bench.started(), lines));
        return sampler.stop("runner (line leases)", bench.started(), lines);
    }

    /**
     * Two campaigns (weights 3 and 1) of {@code contacts} each on one trunk of {@code lines} lines, dialed by a
     * serving node; the window ends when either campaign has dialed all its contacts.
     */
    private static Result shared(SandboxPbx pbx, Path dataDir, int contacts, int lines) throws Exception {
        DialerConfig config = DialerConfig.defaults()
                .withHttp(new HttpConfig("127.0.0.1", 0))
                .withDatabase(new DatabaseConfig(null, null, null, dataDir.toString(), 16, Duration.ofSeconds(5)))
                .withCluster(new ClusterConfig("occupancy-" + ProcessHandle.current().pid(), "127.0.0.1", freePort(), false,
                        List.of()))
                .withAsterisk(List.of(new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(), "dialer",
                        "dialer", "occupancy-node")))
                .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000000"),
                        false, lines, 100_000, Duration.ofSeconds(3), false)));
        DialerApp app = DialerApp.create(config);
        app.add(Wiring.campaignRunners(app));
        app.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            DataSource ds = app.database().dataSource();
            JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
            String[][] campaigns = {{"heavy", "3", "+1557"}, {"light", "1", "+1558"}};
            for (String[] c : campaigns) {
                String def = new ObjectMapper().writeValueAsString(Map.of("id", c[0], "weight", Integer.parseInt(c[1]),
                        "trunk", Map.of("name", "carrier"), "limits", Map.of("lines", lines, "batch", lines / 2),
                        "flow", flowFile(dataDir).toString(), "attempts", Map.of("totalCap", 1, "dailyCap", 1)));
                store.create(CampaignFile.fromStored(c[0], def).draft(Instant.now()));
                List<JdbcContactStore.NewContact> list = new ArrayList<>();
                List<String> nums = numbers(c[2], contacts);
                for (int i = 0; i < contacts; i++) {
                    list.add(new JdbcContactStore.NewContact(c[0], "c" + i, new PhoneSet(List.of(new Phone("mobile",
                            nums.get(i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                            Instant.now().minusSeconds(1)));
                }
                new JdbcContactStore(ds).insertAll(list);
            }
            CallEngine engine = app.telephony().telephony().orElseThrow().engines().get(0);
            Sampler live = new Sampler(engine::activeCalls);
            live.start();
            for (String[] c : campaigns) {
                store.moveTo(store.get(c[0]).orElseThrow(), CampaignState.RUNNING, "bench");
            }
            JdbcContactStore contactsStore = new JdbcContactStore(ds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + contacts);
            long heavy = 0;
            long light = 0;
            int samples = 0;
            long dialed = 0;
            while (System.nanoTime() < deadline) {
                var h = contactsStore.counts("heavy", Instant.now());
                var l = contactsStore.counts("light", Instant.now());
                if (h.availableNow() == 0 || l.availableNow() == 0) {
                    live.endWindow();
                    dialed = h.total() - h.availableNow() + l.total() - l.availableNow();
                    break;
                }
                heavy += h.inProgress();
                light += l.inProgress();
                samples++;
                Thread.sleep(50);
            }
            System.out.printf("shared split: heavy (weight 3) %.1f lines, light (weight 1) %.1f lines on average"
                    + " (%d samples): %.2f : 1%n", (double) heavy / samples, (double) light / samples, samples,
                    (double) heavy / Math.max(1, light));
            return live.stop("node, 2 campaigns sharing a trunk", (int) dialed, lines);
        } finally {
            app.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path flowFile(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("wait-for-key.yaml");
        if (!Files.exists(f)) {
            Files.writeString(f, FLOW);
        }
        return f;
    }

    /** Samples a live-call count every 5 ms on its own thread; integrates it over the open window. */
    private static final class Sampler {
        private final IntSupplier live;
        private final Thread thread;
        private volatile boolean stop;
        private volatile boolean windowOpen = true;
        private long firstNanos = -1;
        private long lastNanos;
        private double area;
        private int max;
        private long endNanos;

        Sampler(IntSupplier live) {
            this.live = live;
            this.thread = new Thread(this::loop, "occupancy-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void endWindow() {
            windowOpen = false;
        }

        private void loop() {
            while (!stop) {
                long t = System.nanoTime();
                int n = live.getAsInt();
                if (windowOpen) {
                    if (firstNanos < 0) {
                        if (n > 0) {
                            firstNanos = t;
                            lastNanos = t;
                        }
                    } else {
                        area += (double) n * (t - lastNanos);
                        lastNanos = t;
                        endNanos = t;
                    }
                    max = Math.max(max, n);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Result stop(String name, int calls, int lines) throws InterruptedException {
            stop = true;
            thread.join();
            double window = (endNanos - firstNanos) / 1e9;
            return new Result(name, calls, window, area / 1e9 / window, max, lines);
        }
    }
}

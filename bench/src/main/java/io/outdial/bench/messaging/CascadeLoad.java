package io.outdial.bench.messaging;

import io.outdial.bench.fullstack.Postgres;
import io.outdial.dialer.cascade.BenchRunStores;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.engine.StopList;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Cascade engine load run, not JMH. Two figures, each against a baseline measured in the same run:
 * <ol>
 *   <li><b>Steps per second</b>: {@code runs} runs of a three-step scheme (an SMS whose channel accepts at once and
 *   reports it delivered, a goal, an end), started {@code batch} at a time, through the engine on the dialer's
 *   {@code JdbcRunStore} on PostgreSQL; baseline: the same on {@link InMemoryRunStore}. Steps are the step rows the
 *   runs wrote, over the wall time from the first start to the last run's end.</li>
 *   <li><b>Memory of waiting runs</b>: {@code waiting} runs started on a scheme whose first block is a one-hour delay,
 *   so each waits on a durable timer; heap used after a full GC, minus the same before, per waiting run, on the JDBC
 *   store (timers in the database) and on the in-memory store (baseline).</li>
 * </ol>
 * {@code java -Xmx1g -cp bench/target/benchmarks.jar io.outdial.bench.messaging.CascadeLoad}; system properties
 * {@code runs} 5000, {@code batch} 20, {@code waiting} 100000. Needs PostgreSQL's binaries (as the tests do).
 */
public final class CascadeLoad {
    private static final int RUNS = Integer.getInteger("runs", 5000);
    private static final int BATCH = Integer.getInteger("batch", 20);
    private static final int WAITING = Integer.getInteger("waiting", 100_000);
    private static final String STEPS_SCHEME = String.join("\n", "id: bench-steps", "version: 1", "start: sms",
        "blocks:", "  sms:", "    type: sms", "    content: { text: \"hello {{contact.name}}\" }",
        "    decisionTime: PT1H", "    links:", "      - { on: status, status: delivered, next: goal }",
        "      - { on: timeout, next: done }", "  goal:", "    type: goal", "    name: delivered", "    next: done",
        "  done:", "    type: end", "");
    private static final String WAIT_SCHEME = String.join("\n", "id: bench-wait", "version: 1", "start: wait",
        "blocks:", "  wait:", "    type: delay", "    duration: PT1H", "    next: done", "  done:", "    type: end", "");

    private CascadeLoad() { }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        Vertx vertx = Vertx.vertx();
        try (Postgres pg = Postgres.start()) {
            String url = pg.createDatabase("cascade_bench");
            Database db = Database.create(vertx, new DatabaseConfig(url, "postgres", "",
                Files.createTempDirectory("cascade-bench").toString(), 16, Duration.ofSeconds(30)));
            db.start().await();
            // warm-up on both stores, then the measured rounds
            steps(vertx, new InMemoryRunStore(), "warm-mem", Math.min(RUNS, 1000));
            steps(vertx, BenchRunStores.jdbc(db.dataSource()), "warm-jdbc", Math.min(RUNS, 1000));
            double mem = steps(vertx, new InMemoryRunStore(), "mem", RUNS);
            double jdbc = steps(vertx, BenchRunStores.jdbc(db.dataSource()), "jdbc", RUNS);
            System.out.printf("steps/s: JDBC RunStore on PostgreSQL %.0f, in-memory store %.0f, ratio %.3f%n", jdbc,
                mem, jdbc / mem);

            double memBytes = waiting(vertx, new InMemoryRunStore(), "mem");
            double jdbcBytes = waiting(vertx, BenchRunStores.jdbc(db.dataSource()), "jdbc");
            System.out.printf("heap per waiting run after GC: JDBC RunStore %.1f bytes, in-memory store %.1f bytes,"
                + " ratio %.4f (%d runs)%n", jdbcBytes, memBytes, jdbcBytes / memBytes, WAITING);
            db.close().await();
        } finally {
            vertx.close().await();
        }
    }

    /** Steps per second of {@code n} runs of the three-step scheme. */
    private static double steps(Vertx vertx, RunStore store, String tag, int n) {
        Scheme scheme = SchemeDocuments.parse(STEPS_SCHEME, SchemeDocuments.Format.YAML).scheme();
        CascadeEngine engine = new CascadeEngine(vertx, Clock.systemUTC(), store, new NoStopList(),
            Schemes.of(List.of(scheme)), List.of(new InstantSms(vertx)), EngineOptions.defaults());
        engine.start().await();
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += BATCH) {
            List<Future<?>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + BATCH); i++) {
                batch.add(engine.startRun(tag + "-" + i, "bench", scheme.id(), 1, new Recipient("c" + i,
                    "+3361" + String.format("%08d", i), Map.of("name", "n" + i))));
            }
            Future.join(batch).await();
        }
        // every run has ended once no run is active (bounded: a run left active fails the benchmark)
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!store.activeRuns().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(store.activeRuns().size() + " runs still active after 10 minutes");
            }
            sleep(20);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long steps = 0;
        for (int i = 0; i < n; i++) {
            steps += store.steps(tag + "-" + i).size();
        }
        engine.stop().await();
        double rate = steps / secs;
        System.out.printf("  %s: %d runs, %d steps in %.1f s = %.0f steps/s%n", tag, n, steps, secs, rate);
        return rate;
    }

    /** Heap bytes per run waiting on a timer, after a full GC. */
    private static double waiting(Vertx vertx, RunStore store, String tag) {
        Scheme scheme = SchemeDocuments.parse(WAIT_SCHEME, SchemeDocuments.Format.YAML).scheme();
        CascadeEngine engine = new CascadeEngine(vertx, Clock.systemUTC(), store, new NoStopList(),
            Schemes.of(List.of(scheme)), List.of(), EngineOptions.defaults());
        engine.start().await();
        long before = heapAfterGc();
        long t0 = System.nanoTime();
        for (int from = 0; from < WAITING; from += BATCH) {
            List<Future<?>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(WAITING, from + BATCH); i++) {
                batch.add(engine.startRun("wait-" + tag + "-" + i, "bench", scheme.id(), 1, new Recipient("c" + i,
                    "+3362" + String.format("%08d", i), Map.of())));
            }
            Future.join(batch).await();
        }
        int timers = store.timerCount();
        long after = heapAfterGc();
        System.out.printf("  %s: %d runs waiting on %d timers (started in %.1f s), heap after GC %d -> %d MB%n", tag,
            WAITING, timers, (System.nanoTime() - t0) / 1e9, before >> 20, after >> 20);
        engine.stop().await();
        double per = Math.max(0, after - before) / (double) WAITING;
        // keep the in-memory store reachable until it was measured
        if (store.timerCount() < 0) {
            System.out.println(store);
        }
        return per;
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Nobody is stop-listed. */
    private static final class NoStopList implements StopList {
        @Override
        public boolean contains(String address) {
            return false;
        }

        @Override
        public void add(String address, String reason) {
        }
    }

    /** An SMS channel that accepts every message at once and reports it delivered right after. */
    private static final class InstantSms implements Channel {
        private final Vertx vertx;
        private volatile Handler<ChannelEvent> events = e -> { };

        InstantSms(Vertx vertx) {
            this.vertx = vertx;
        }

        @Override
        public ChannelType type() {
            return ChannelType.SMS;
        }

        @Override
        public Future<Submitted> send(OutboundMessage m) {
            String pid = "p-" + m.id();
            vertx.runOnContext(v -> events.handle(new ChannelEvent.StatusReport(ChannelType.SMS, pid, Status.DELIVERED,
                null, java.time.Instant.now())));
            return Future.succeededFuture(new Submitted(List.of(pid), 1));
        }

        @Override
        public void events(Handler<ChannelEvent> handler) {
            this.events = handler;
        }
    }
}

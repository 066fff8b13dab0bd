package io.outdial.bench.storage;

import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * How fast the call-record writer stores the rows of many calls of one Asterisk server. Not JMH: a main class on an
 * H2 file database (the embedded database of a node, 10 connections as by default).
 *
 * <p>Each round: {@code calls} calls, each with four records (DIALING, RINGING, ANSWERED, ENDED) handed to the
 * writer from one event-loop context (the engine of one server does that), in waves: every call's DIALING, then
 * every call's RINGING, and so on, so the writer must keep each call's order while the calls interleave. The round
 * ends when every call's row is ENDED (polled every 10 ms); a row left in another state would mean a call's records
 * were written out of order.
 *
 * <p>Baseline in the same run, just before each writer round: the same rows written with plain JDBC by as many
 * threads as the pool has connections, each thread a slice of the calls in order (no Vert.x, no Futures): the floor
 * of the work on this database.
 *
 * <p>{@code java -cp benchmarks.jar io.outdial.bench.storage.CallRecordWriteLoad [calls=2000] [rounds=3]}
 */
public final class CallRecordWriteLoad {
    private static final int POOL = 10;
    private static final CallState[] STATES = {CallState.DIALING, CallState.RINGING, CallState.ANSWERED,
        CallState.ENDED};

    private CallRecordWriteLoad() { }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Vertx vertx = Vertx.vertx();
        Path dir = Files.createTempDirectory("callrecords");
        Database db = Database.create(vertx, new DatabaseConfig(null, null, null, dir.toString(), POOL,
                Duration.ofSeconds(5)));
        db.start().await();
        try {
            CallListener writer = writer(vertx, db);
            Context engineContext = vertx.getOrCreateContext();
            // warm-up round of each (JIT, H2 caches), not reported
            baseline(db.dataSource(), "w-b-", calls);
            viaWriter(db.dataSource(), writer, engineContext, "w-w-", calls);
            for (int r = 1; r <= rounds; r++) {
                double base = baseline(db.dataSource(), "b" + r + "-", calls);
                double mine = viaWriter(db.dataSource(), writer, engineContext, "w" + r + "-", calls);
                System.out.printf("round %d: %d calls x 4 records: baseline %.0f records/s, writer %.0f records/s,"
                        + " writer / baseline %.2f%n", r, calls, base, mine, mine / base);
            }
        } finally {
            db.close().await();
            vertx.close().await();
        }
    }

    /** The writer under test: what the telephony component hands each server's records to. */
    private static CallListener writer(Vertx vertx, Database db) {
        return new CallRecordWriter(db).listener(CallListener.NONE);
    }

    private static double viaWriter(DataSource ds, CallListener writer, Context context, String prefix, int calls)
            throws Exception {
        long start = System.nanoTime();
        for (CallState state : STATES) {
            CountDownLatch handed = new CountDownLatch(1);
            context.runOnContext(v -> {
                for (int i = 0; i < calls; i++) {
                    CallRecord r = record(prefix + i, state);
                    if (state == CallState.ENDED) {
                        writer.onEnded(r);
                    } else {
                        writer.onStateChange(r);
                    }
                }
                handed.countDown();
            });
            handed.await();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (ended(ds, prefix) < calls) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("writer did not store " + calls + " ENDED rows in 300 s");
            }
            Thread.sleep(10);
        }
        return calls * 4.0 / ((System.nanoTime() - start) / 1e9);
    }

    private static double baseline(DataSource ds, String prefix, int calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(POOL);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < POOL; t++) {
            int slice = t;
            done.add(threads.submit(() -> {
                try (Connection c = ds.getConnection()) {
                    for (int i = slice; i < calls; i += POOL) {
                        for (CallState state : STATES) {
                            upsert(c, record(prefix + i, state));
                        }
                    }
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get(300, TimeUnit.SECONDS);
        }
        double perSecond = calls * 4.0 / ((System.nanoTime() - start) / 1e9);
        threads.shutdown();
        if (ended(ds, prefix) != calls) {
            throw new IllegalStateException("baseline left rows not ENDED");
        }
        return perSecond;
    }

    private static void upsert(Connection c, CallRecord r) throws java.sql.SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE call_records SET state=?, ring_at=?, answer_at=?,"
                + " end_at=?, outcome=? WHERE attempt_id=?")) {
            up.setString(1, r.state().name());
            up.setObject(2, r.ringAt() == null ? null : r.ringAt().atOffset(java.time.ZoneOffset.UTC));
            up.setObject(3, r.answerAt() == null ? null : r.answerAt().atOffset(java.time.ZoneOffset.UTC));
            up.setObject(4, r.endAt() == null ? null : r.endAt().atOffset(java.time.ZoneOffset.UTC));
            up.setString(5, r.outcome() == null ? null : r.outcome().kind().name());
            up.setString(6, r.attemptId());
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO call_records (attempt_id, campaign_id, contact_id,"
                + " phone, trunk, ari_server, channel_id, state, originate_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
            in.setString(1, r.attemptId());
            in.setString(2, r.campaignId());
            in.setString(3, r.contactId());
            in.setString(4, r.phone());
            in.setString(5, r.trunk());
            in.setString(6, r.server());
            in.setString(7, r.channelId());
            in.setString(8, r.state().name());
            in.setObject(9, r.originateAt().atOffset(java.time.ZoneOffset.UTC));
            in.executeUpdate();
        }
    }

    private static CallRecord record(String attemptId, CallState state) {
        Instant t = Instant.parse("2026-12-03T10:00:00Z");
        boolean rang = state.ordinal() >= CallState.RINGING.ordinal();
        boolean answered = state == CallState.ANSWERED || state == CallState.ENDED;
        return new CallRecord(attemptId, "bench", attemptId, "+15550000000", "carrier", null, "sandbox",
                "ch-" + attemptId, state, t, rang ? t.plusSeconds(1) : null, answered ? t.plusSeconds(3) : null,
                state == CallState.ENDED ? t.plusSeconds(20) : null,
                state == CallState.ENDED ? CallOutcome.of(OutcomeKind.ANSWERED, 16, "normal clearing") : null,
                null, null, "", List.of());
    }

    private static int ended(DataSource ds, String prefix) throws java.sql.SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM call_records WHERE attempt_id LIKE ? AND state = 'ENDED'")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

package io.outdial.dialer.call;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.support.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one writer of call records, on H2 and PostgreSQL: per-call order, calls in parallel, one transaction. */
class CallRecordWriterTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private CallRecordWriter writer(TestDatabases.TestDatabase db) {
        Database.migrate(db.dataSource());
        return new CallRecordWriter(Database.open(vertx, db.dataSource(), db.engine(), 4));
    }

    private static CallRecord record(String attemptId, CallState state) {
        boolean ended = state == CallState.ENDED;
        return new CallRecord(attemptId, "camp", attemptId, "+15551230000", "carrier", null, "ast1", "ch-" + attemptId,
                state, T0, null, null, ended ? T0.plusSeconds(20) : null,
                ended ? CallOutcome.of(OutcomeKind.BUSY, 17, "busy") : null, null, null, "", List.of());
    }

    private static void hold(CountDownLatch latch) throws SQLException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new SQLException("test latch never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.outdial.dialer.support.TestDatabases#both")
    void twoCallsSaveConcurrentlyWhileOneCallsRecordsStayInOrder(TestDatabases.TestDatabase db) throws Exception {
        try (db) {
            CallRecordWriter writer = writer(db);
            CountDownLatch holdA = new CountDownLatch(1);
            CountDownLatch aStarted = new CountDownLatch(1);
            List<String> order = new CopyOnWriteArrayList<>();
            // call a's DIALING write is held open inside its transaction
            Future<Void> aDialing = writer.save(record("a", CallState.DIALING), c -> {
                aStarted.countDown();
                order.add("a:DIALING");
                hold(holdA);
                return null;
            });
            Future<Void> aEnded = writer.save(record("a", CallState.ENDED), c -> {
                order.add("a:ENDED");
                return null;
            });
            assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
            // meanwhile call b's records are stored, in order, while a's transaction is still open
            Future<Void> bDialing = writer.save(record("b", CallState.DIALING), c -> {
                order.add("b:DIALING");
                return null;
            });
            Future<Void> bEnded = writer.save(record("b", CallState.ENDED), c -> {
                order.add("b:ENDED");
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> bDialing.succeeded() && bEnded.succeeded());
            assertThat(writer.store().find("b")).get().extracting(CallRecord::state).isEqualTo(CallState.ENDED);
            assertThat(aDialing.isComplete()).as("a's first write is still held").isFalse();
            assertThat(aEnded.isComplete()).as("a's final record waits for a's first").isFalse();
            assertThat(order).doesNotContain("a:ENDED");

            holdA.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> aDialing.succeeded() && aEnded.succeeded());
            assertThat(order).containsSubsequence("a:DIALING", "a:ENDED");
            assertThat(order).containsSubsequence("b:DIALING", "b:ENDED");
            assertThat(order.indexOf("b:ENDED")).as("b finished before a was released")
                    .isLessThan(order.indexOf("a:ENDED"));
            assertThat(writer.store().find("a")).get().extracting(CallRecord::state).isEqualTo(CallState.ENDED);
            await().atMost(Duration.ofSeconds(5)).until(() -> writer.pendingCalls() == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.outdial.dialer.support.TestDatabases#both")
    void aFailureInsideTheWriteLeavesNoRowAndTheCallsNextWriteStillRuns(TestDatabases.TestDatabase db) {
        try (db) {
            CallRecordWriter writer = writer(db);
            Future<Void> failed = writer.save(record("x", CallState.ENDED), c -> {
                throw new SQLException("fails after the record was written in the transaction");
            });
            Future<Void> next = writer.save(record("y", CallState.DIALING));
            await().atMost(Duration.ofSeconds(10)).until(() -> failed.isComplete() && next.isComplete());
            assertThat(failed.failed()).isTrue();
            assertThat(writer.store().find("x")).as("rolled back with the failure").isEmpty();
            assertThat(next.succeeded()).isTrue();

            Future<Boolean> refused = writer.saveIf(c -> false, record("z", CallState.DIALING));
            await().atMost(Duration.ofSeconds(10)).until(refused::isComplete);
            assertThat(refused.result()).isFalse();
            assertThat(writer.store().find("z")).as("not written when the gate says no").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.outdial.dialer.support.TestDatabases#both")
    void theListenerStoresEveryStateChangeAndTheFinalRecord(TestDatabases.TestDatabase db) {
        try (db) {
            CallRecordWriter writer = writer(db);
            List<CallRecord> told = new CopyOnWriteArrayList<>();
            CallListener listener = writer.listener(new CallListener() {
                @Override
                public void onEnded(CallRecord record) {
                    told.add(record);
                }
            });
            vertx.runOnContext(v -> {
                listener.onStateChange(record("l", CallState.DIALING));
                listener.onStateChange(record("l", CallState.RINGING));
                listener.onEnded(record("l", CallState.ENDED));
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 1 && writer.pendingCalls() == 0);
            assertThat(writer.store().find("l")).get().extracting(CallRecord::state).isEqualTo(CallState.ENDED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.outdial.dialer.support.TestDatabases#both")
    void anOwnedAttemptIsStoredBeforeItsSendWithItsSendTimeAndAtItsEndOnlyWithItsOutcome(
            TestDatabases.TestDatabase db) throws Exception {
        try (db) {
            CallRecordWriter writer = writer(db);
            CallListener listener = writer.listener(CallListener.NONE);
            CallRecord dialing = record("o", CallState.DIALING);
            CallRecord unsent = new CallRecord("o", "camp", "o", dialing.phone(), "carrier", null, "ast1", "ch-o",
                    CallState.DIALING, null, null, null, null, null, null, null, "", List.of());
            assertThat(writer.saveIf(c -> true, unsent).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)).isTrue();
            listener.onStateChange(new CallRecord("o", "camp", "o", dialing.phone(), "carrier", "+1555", "ast1",
                    "ch-o", CallState.DIALING, null, null, null, null, null, null, null, "", List.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.pendingCalls() == 0);
            assertThat(writer.store().find("o").orElseThrow().callerId())
                    .as("a call waiting for its permit is not written again").isNull();
            listener.onStateChange(dialing);
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.pendingCalls() == 0);
            assertThat(writer.store().find("o").orElseThrow().originateAt()).as("marked sent").isEqualTo(T0);
            listener.onEnded(record("o", CallState.ENDED));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.pendingCalls() == 0);
            assertThat(writer.store().find("o").orElseThrow().state())
                    .as("the owner stores the end with its outcome").isEqualTo(CallState.DIALING);
            writer.save(record("o", CallState.ENDED), c -> null).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(writer.store().find("o").orElseThrow().state()).isEqualTo(CallState.ENDED);

            // an attempt nobody stored before its send (a recovered call, a flow try) is stored at its end
            listener.onEnded(record("n", CallState.ENDED));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.pendingCalls() == 0
                    && writer.store().find("n").isPresent());
            assertThat(writer.store().find("n").orElseThrow().state()).isEqualTo(CallState.ENDED);
        }
    }
}

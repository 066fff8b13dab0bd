package io.outdial.dialer.call;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.SqlWork;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The one writer of {@code call_records}: the call engine's state changes and the campaign runner's attempt row and
 * outcome all go through one instance per node. Each write is one transaction on the {@link Database}'s worker pool,
 * and may carry other rows that must commit with the record (the outcome's contact result and stop-list add, the
 * stop-list re-check before the originate).
 *
 * <p>Order: the writes of one call (one attempt id) run one after the other in the order they were handed over, so
 * a call's DIALING record is stored before its final record; the writes of different calls run in parallel on the
 * pool's connections. A write starts after the call's previous write has finished, whether it succeeded or failed.
 *
 * <p>The returned Futures complete on the context that asked for the write (the engine's or the runner's event
 * loop), so callers keep their own threading.
 */
public final class CallRecordWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CallRecordWriter.class);

    private final Database database;
    private final CallRecordStore store;
    /** The last write handed over per attempt still running or queued; guarded by {@code this}. */
    private final Map<String, Future<?>> tails = new HashMap<>();
    /**
     * Attempts whose row their owner wrote before the originate ({@link #saveIf}) and whose final record the owner
     * stores with its outcome ({@link #save(CallRecord, SqlWork)}): the engine's end is not stored on its own.
     */
    private final java.util.Set<String> ownerStoresEnd = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A writer on {@code database} (started before the first write). */
    public CallRecordWriter(Database database) {
        this(database, () -> null);
    }

    /** A writer whose rows carry {@code nodeId}'s answer, the id of this node (asked at each write). */
    public CallRecordWriter(Database database, java.util.function.Supplier<String> nodeId) {
        this.database = Objects.requireNonNull(database, "database");
        this.store = new CallRecordStore(database::dataSource, nodeId);
    }

    /** The reads of {@code call_records} (blocking). */
    public CallRecordStore store() {
        return store;
    }

    /** Stores {@code record} (insert or replace of its attempt's row) after the call's earlier writes. */
    public Future<Void> save(CallRecord record) {
        return save(record, c -> null);
    }

    /**
     * Stores {@code record} and runs {@code alongside} in the same transaction, after the call's earlier writes:
     * both commit or neither does. Returns what {@code alongside} returned.
     */
    public <T> Future<T> save(CallRecord record, SqlWork<T> alongside) {
        Objects.requireNonNull(alongside, "alongside");
        Future<T> saved = enqueue(record.attemptId(), c -> {
            store.save(c, record);
            return alongside.apply(c);
        });
        if (record.state() == CallState.ENDED) {
            saved.onSuccess(x -> ownerStoresEnd.remove(record.attemptId()));
        }
        return saved;
    }

    /**
     * Runs {@code gate} and, when it answers true, stores {@code record} in the same transaction (the stop-list
     * re-check and the attempt row written before the originate). Answers what {@code gate} answered.
     *
     * <p>The caller owns the attempt: it stores the final record with its outcome in one
     * {@link #save(CallRecord, SqlWork)}, so the {@link #listener} does not store the engine's end of it on its own
     * (one write less per call; a stop between the end and that write leaves the row unfinished, and a restart
     * asks Asterisk about it as about any live call).
     */
    public Future<Boolean> saveIf(SqlWork<Boolean> gate, CallRecord record) {
        Objects.requireNonNull(gate, "gate");
        return enqueue(record.attemptId(), c -> {
            if (!gate.apply(c)) {
                return false;
            }
            store.save(c, record);
            return true;
        }).map(stored -> {
            if (stored) {
                ownerStoresEnd.add(record.attemptId());
            }
            return stored;
        });
    }

    /**
     * A listener that stores every state change and final record of the engine's calls (a call waiting for its
     * permit once it is sent; the end of an attempt whose owner stores it with its outcome not on its own, see
     * {@link #saveIf}), then tells {@code next} (which may be {@link CallListener#NONE}) at once, without
     * waiting for the write. A failed write is logged.
     */
    public CallListener listener(CallListener next) {
        CallListener then = next == null ? CallListener.NONE : next;
        return new CallListener() {
            @Override
            public void onStateChange(CallRecord record) {
                if (!waitingToBeSent(record)) {
                    logFailure(record, save(record));
                }
                then.onStateChange(record);
            }

            @Override
            public void onEnded(CallRecord record) {
                if (!ownerStoresEnd.contains(record.attemptId())) {
                    logFailure(record, save(record));
                }
                then.onEnded(record);
            }
        };
    }

    /**
     * A call still waiting for its calls-per-second permit: nothing new to store (the runner stored its attempt row
     * before asking); its record is stored when the request leaves, with the send time that marks it sent.
     */
    private static boolean waitingToBeSent(CallRecord record) {
        return record.state() == CallState.DIALING && record.originateAt() == null;
    }

    /** Calls with a write running or queued (0 when the writer is idle). */
    public synchronized int pendingCalls() {
        return tails.size();
    }

    private <T> Future<T> enqueue(String attemptId, SqlWork<T> work) {
        Context caller = Vertx.currentContext();
        Future<T> run;
        synchronized (this) {
            Future<?> previous = tails.get(attemptId);
            run = previous == null ? database.inTransaction(work)
                : previous.transform(ignored -> database.inTransaction(work));
            tails.put(attemptId, run);
        }
        Promise<T> done = Promise.promise();
        run.onComplete(ar -> {
            synchronized (this) {
                tails.remove(attemptId, run);
            }
            deliver(caller, done, ar);
        });
        return done.future();
    }

    private static <T> void deliver(Context caller, Promise<T> done, AsyncResult<T> ar) {
        if (caller == null || caller == Vertx.currentContext()) {
            done.handle(ar);
        } else {
            caller.runOnContext(v -> done.handle(ar));
        }
    }

    private static void logFailure(CallRecord record, Future<?> write) {
        write.onFailure(e -> LOG.error("call {} channel {}: call record {} not saved: {}", record.attemptId(),
            record.channelId(), record.state(), e.getMessage()));
    }
}

package io.outdial.dialer.ari;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Caps concurrent in-flight ARI requests; requests beyond the cap wait in two FIFO queues. Requests on live calls
 * (play, hangup, answer, ...) go before queued new calls (originates, "bulk"), and originates may take at most
 * three quarters of the slots, so a burst of set-ups never makes an answered call wait for a free connection.
 * Thread-safe: calls come from several event loops. Without a cap a burst of set-ups would open hundreds of
 * connections.
 */
final class AriRequestGate {
    private final int max;
    private final int bulkMax;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final ArrayDeque<Runnable> waitingBulk = new ArrayDeque<>();
    private int inFlight;
    private int bulkInFlight;

    AriRequestGate(int max) {
        this.max = max;
        this.bulkMax = Math.max(1, max - max / 4);
    }

    <T> Future<T> submit(Supplier<Future<T>> request) {
        return submit(request, false);
    }

    /** Runs {@code request} now if a slot is free, else queues it ({@code bulk}: behind every live-call request). */
    <T> Future<T> submit(Supplier<Future<T>> request, boolean bulk) {
        Promise<T> promise = Promise.promise();
        Runnable run = () -> {
            Future<T> f;
            try {
                f = request.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                release(bulk);
                promise.handle(ar);
            });
        };
        synchronized (this) {
            if (inFlight >= max || bulk && bulkInFlight >= bulkMax) {
                (bulk ? waitingBulk : waiting).add(run);
                return promise.future();
            }
            inFlight++;
            if (bulk) {
                bulkInFlight++;
            }
        }
        run.run();
        return promise.future();
    }

    private void release(boolean bulk) {
        Runnable next = null;
        synchronized (this) {
            inFlight--;
            if (bulk) {
                bulkInFlight--;
            }
            if (!waiting.isEmpty()) {
                next = waiting.poll();
                inFlight++;
            } else if (!waitingBulk.isEmpty() && bulkInFlight < bulkMax) {
                next = waitingBulk.poll();
                inFlight++;
                bulkInFlight++;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int queued() {
        return waiting.size() + waitingBulk.size();
    }
}

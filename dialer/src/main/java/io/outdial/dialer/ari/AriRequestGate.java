package io.outdial.dialer.ari;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Caps concurrent in-flight ARI requests; requests beyond the cap wait in a FIFO queue. Thread-safe: calls
 * come from several event loops. Without a cap a burst of set-ups would open hundreds of connections.
 */
final class AriRequestGate {
    private final int max;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    AriRequestGate(int max) {
        this.max = max;
    }

    <T> Future<T> submit(Supplier<Future<T>> request) {
        Promise<T> promise = Promise.promise();
        Runnable run = () -> {
            Future<T> f;
            try {
                f = request.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> {
                release();
                promise.handle(ar);
            });
        };
        synchronized (this) {
            if (inFlight >= max) {
                waiting.add(run);
                return promise.future();
            }
            inFlight++;
        }
        run.run();
        return promise.future();
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
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
        return waiting.size();
    }
}

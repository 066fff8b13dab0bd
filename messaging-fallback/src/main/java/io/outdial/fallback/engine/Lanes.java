package io.outdial.fallback.engine;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One queue of work per run: a run's tasks run one after another, different runs side by side. Used only on the
 * engine's context, so the map needs no lock.
 */
final class Lanes {

    private final Map<String, Future<?>> tails = new HashMap<>();

    /** Runs the task after every earlier task of the same key. */
    <T> Future<T> run(String key, Supplier<Future<T>> task) {
        Future<?> tail = tails.get(key);
        Future<T> next = tail == null ? safely(task) : tail.transform(ignored -> safely(task));
        tails.put(key, next);
        next.onComplete(ar -> tails.remove(key, next));
        return next;
    }

    private static <T> Future<T> safely(Supplier<Future<T>> task) {
        try {
            return task.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Completes when every task queued so far has completed. */
    Future<Void> drained() {
        return Future.join(tails.values().stream().map(f -> (Future<?>) f).collect(java.util.stream.Collectors
                .toList())).mapEmpty();
    }

    /** Runs with queued work. */
    int size() {
        return tails.size();
    }
}

package io.outdial.dialer.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Tracks live work so a shutdown can wait for it. Two ways to take part:
 * <ul>
 *   <li>{@link #tryBegin(String)} a {@link Ticket} per unit of work (a call, a request) and close it when done;
 *       after the drain starts no ticket is handed out;</li>
 *   <li>{@link #onDrain(String, Supplier)} a hook that stops taking work and completes when its work is done
 *       (e.g. the call engine: stop originating, complete when the last call hangs up).</li>
 * </ul>
 * {@link #drain(Duration)} completes when both are idle or the timeout passes, whichever is first.
 */
public final class DrainTracker {
    private static final Logger LOG = LoggerFactory.getLogger(DrainTracker.class);

    private final Vertx vertx;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, String> live = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Hook> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Promise<Void> idle = Promise.promise();

    public DrainTracker(Vertx vertx) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /** Whether new work is still accepted. */
    public boolean accepting() {
        return !draining.get();
    }

    /** Live tickets right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** A ticket for one unit of live work, or empty once draining has started. */
    public Optional<Ticket> tryBegin(String what) {
        if (draining.get()) {
            return Optional.empty();
        }
        inFlight.incrementAndGet();
        String id = what + "#" + ids.incrementAndGet();
        live.put(id, what);
        if (draining.get()) {
            // Lost the race with drain(): give the slot back so the drain is not held up by work never started.
            new Ticket(id).close();
            return Optional.empty();
        }
        return Optional.of(new Ticket(id));
    }

    /** Registers a hook run when the drain starts: stop taking work, complete when idle. */
    public void onDrain(String name, Supplier<Future<Void>> hook) {
        hooks.add(new Hook(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hook, "hook")));
    }

    /** Stops taking work and waits for live work, at most {@code timeout}. Never fails. */
    public Future<DrainResult> drain(Duration timeout) {
        if (!draining.compareAndSet(false, true)) {
            return Future.failedFuture(new IllegalStateException("drain already started"));
        }
        LOG.info("drain started: {} live ticket(s), {} hook(s), timeout {}", inFlight.get(), hooks.size(), timeout);
        List<Future<Void>> waits = new ArrayList<>();
        for (Hook hook : hooks) {
            Future<Void> f;
            try {
                f = hook.supplier.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            waits.add(f.onFailure(err -> LOG.warn("drain hook {} failed: {}", hook.name, err.toString())));
        }
        checkIdle();
        waits.add(idle.future());
        Promise<DrainResult> result = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
            if (result.tryComplete(new DrainResult(false, inFlight.get(), List.copyOf(live.keySet())))) {
                LOG.warn("drain timed out after {} with {} live ticket(s): {}", timeout, inFlight.get(), live.keySet());
            }
        });
        Future.join(waits).onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (result.tryComplete(new DrainResult(true, inFlight.get(), List.of()))) {
                LOG.info("drain complete");
            }
        });
        return result.future();
    }

    private void checkIdle() {
        if (draining.get() && inFlight.get() == 0) {
            idle.tryComplete();
        }
    }

    /**
     * How the drain ended.
     *
     * @param complete whether all live work finished inside the timeout
     * @param left     live tickets left when it ended
     * @param leftIds  their ids, for the log
     */
    public record DrainResult(boolean complete, int left, List<String> leftIds) {
        public DrainResult {
            leftIds = List.copyOf(leftIds);
        }
    }

    /** One unit of live work; close it exactly once when the work ends (extra closes are ignored). */
    public final class Ticket implements AutoCloseable {
        private final String id;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Ticket(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                live.remove(id);
                inFlight.decrementAndGet();
                checkIdle();
            }
        }
    }

    private record Hook(String name, Supplier<Future<Void>> supplier) {
    }
}

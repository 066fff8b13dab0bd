package io.outdial.dialer.ready;

import io.outdial.dialer.secret.Secrets;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The registry of readiness checks behind {@code /ready}. Components register one check per dependency
 * (database, cluster, each Asterisk, each messaging gateway); the node is ready when it has started, is
 * not draining and no dependency is {@link DependencyState#DOWN}.
 *
 * <p>Thread-safe: the checks are an immutable snapshot in a volatile field, replaced on registration.
 */
public final class Readiness {
    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    /** Lifecycle phase of the node, independent of its dependencies. */
    public enum Phase { STARTING, RUNNING, DRAINING }

    private final Duration checkTimeout;
    private volatile Map<String, ReadinessCheck> checks = Map.of();
    private volatile Phase phase = Phase.STARTING;

    /** @param checkTimeout how long one check may take before it counts as DOWN */
    public Readiness(Duration checkTimeout) {
        this.checkTimeout = Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /**
     * Registers (or replaces) the check for {@code name}; names appear in {@code /ready} in registration order.
     *
     * @param check the dependency's current status, asked on the event loop for every {@code /ready} request, so it
     *              must not block (see {@link ReadinessCheck}); a failed Future counts as
     *              {@link DependencyState#DOWN}
     */
    public synchronized void register(String name, Supplier<Future<DependencyStatus>> check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Map<String, ReadinessCheck> next = new LinkedHashMap<>(checks);
        next.put(name, check::get);
        checks = java.util.Collections.unmodifiableMap(next);
        LOG.debug("readiness check registered: {}", name);
    }

    /** Removes the check for {@code name}, if any. */
    public synchronized void unregister(String name) {
        Map<String, ReadinessCheck> next = new LinkedHashMap<>(checks);
        next.remove(name);
        checks = java.util.Collections.unmodifiableMap(next);
    }

    public Phase phase() {
        return phase;
    }

    public synchronized void phase(Phase phase) {
        this.phase = Objects.requireNonNull(phase, "phase");
    }

    /** Moves to {@code to} only from {@code from}; false (and no change) when in another phase. */
    public synchronized boolean transition(Phase from, Phase to) {
        if (phase != from) {
            return false;
        }
        phase = Objects.requireNonNull(to, "to");
        return true;
    }

    /**
     * Runs every check and renders the body of {@code /ready}:
     * {@code {"status":..,"dependencies":[{"name","state","detail"}..]}}; {@link #ready(JsonObject)} reads it.
     */
    public Future<JsonObject> render() {
        return report().map(ReadinessReport::toJson);
    }

    /** Whether a body from {@link #render()} says the node takes work: HTTP 200 from {@code /ready}, else 503. */
    public static boolean ready(JsonObject body) {
        return "UP".equals(body.getString("status"));
    }

    /** Runs every check (concurrently, each bounded by the check timeout) and summarises them. */
    Future<ReadinessReport> report() {
        Map<String, ReadinessCheck> snapshot = checks;
        List<String> names = new ArrayList<>(snapshot.keySet());
        List<Future<DependencyStatus>> results = new ArrayList<>(names.size());
        for (String name : names) {
            results.add(runOne(name, snapshot.get(name)));
        }
        Phase current = phase;
        return Future.join(results).transform(ignored -> {
            List<ReadinessReport.Dependency> deps = new ArrayList<>(names.size());
            boolean allUsable = true;
            for (int i = 0; i < names.size(); i++) {
                DependencyStatus status = results.get(i).result();
                allUsable &= status.state().allowsReady();
                deps.add(new ReadinessReport.Dependency(names.get(i), status));
            }
            String overall = current != Phase.RUNNING ? current.name() : allUsable ? "UP" : "DOWN";
            return Future.succeededFuture(new ReadinessReport(overall, deps));
        });
    }

    private Future<DependencyStatus> runOne(String name, ReadinessCheck check) {
        Future<DependencyStatus> f;
        try {
            f = check.check();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        return f.timeout(checkTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .recover(err -> {
                LOG.debug("readiness check {} failed: {}", name, err.toString());
                return Future.succeededFuture(DependencyStatus.down(describe(err)));
            });
    }

    private static String describe(Throwable err) {
        String msg = err.getMessage();
        // a driver's message may quote the JDBC URL: never its credentials
        return msg == null || msg.isBlank() ? err.getClass().getSimpleName() : Secrets.maskUrls(msg);
    }
}

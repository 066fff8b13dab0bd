package io.outdial.dialer.app;

import io.outdial.dialer.auth.ApiSecurity;
import io.outdial.dialer.auth.LoginFailures;

import io.outdial.dialer.node.Component;
import io.outdial.dialer.node.DrainTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.ready.Readiness;
import io.outdial.dialer.server.DialerHttpServer;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The composition root: builds the node from a {@link DialerConfig} and runs its life cycle.
 *
 * <p>Start: HTTP listener (so a taken port fails fast) → database (pool + migrations) → cluster member →
 * each added {@link Component} in order → ready. Stop: not ready and no new work → drain live work up to
 * {@code shutdown.drainTimeout} → components in reverse order → HTTP → cluster → database → Vert.x.
 *
 * <p>Wire a new capability by constructing it from the shared services ({@link #vertx()}, {@link #database()},
 * {@link #readiness()}, {@link #drain()}, {@link #meterRegistry()}) and passing it to {@link #add(Component)}
 * before {@link #start()}.
 */
public final class DialerApp {
    private static final Logger LOG = LoggerFactory.getLogger(DialerApp.class);

    private final DialerConfig config;
    private final Clock clock;
    private final Metrics metrics;
    private final Vertx vertx;
    private final Readiness readiness;
    private final DrainTracker drain;
    private final Database database;
    private final ClusterNode cluster;
    private final DialerHttpServer http;
    private final ApiSecurity security;
    private final TelephonyComponent telephony;
    /** Reads contact files ahead of their database writer, one thread per running import. */
    private final ExecutorService importReaders = Executors.newCachedThreadPool(new NamedThreads("outdial-import"));
    private final List<Component> components = new ArrayList<>();
    private final List<Component> started = new ArrayList<>();
    // Completed from a plain thread, not a Vert.x context: after vertx.close() no event loop is left to
    // deliver completions, so every Future this class hands out after closing must be context-free.
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean startCalled;
    private Future<Void> startResult = Future.succeededFuture();
    private Future<Void> stopping;
    private boolean closing;

    private DialerApp(DialerConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = new Metrics();
        this.vertx = Vertx.builder().with(Metrics.vertxOptions()).withMetrics(metrics.vertxMetricsFactory()).build();
        this.readiness = new Readiness(Duration.ofSeconds(3));
        this.drain = new DrainTracker(vertx);
        this.database = Database.create(vertx, config.database(), metrics.registry());
        this.cluster = new ClusterNode(vertx, config.cluster(), clock);
        cluster.shareLiveView(metrics.registry());
        this.http = new DialerHttpServer(vertx, config.http(), readiness, metrics.registry());
        // the guard of /api/* goes on the router before any component mounts a route
        LoginFailures throttle = LoginFailures.inMemory(clock);
        // clustered: failed logins counted and revocations applied by every node, not each on its own
        this.security = new ApiSecurity(vertx, database::dataSource, clock, config.http(),
            cluster.loginFailures(throttle), cluster.evictions())
            .withDatabaseHealth(database::reachable);
        security.install(http.router());
        readiness.register("database", database::check);
        readiness.register("cluster", cluster::check);
        // Each configured Asterisk shows as asterisk:<name> (DOWN until connected). Telephony is the first
        // component: started before, and stopped after, every component added with add(..).
        this.telephony = new TelephonyComponent(vertx, readiness, drain, database, clock, config.asterisk(),
            config.trunks(), cluster::memberId);
        telephony.countCallStates(metrics.registry());
        components.add(telephony);
    }

    /** The build version, from the jar manifest; {@code dev} when run from classes. */
    public static String version() {
        return Version.current();
    }

    /** A node built from {@code config}, not yet started. */
    public static DialerApp create(DialerConfig config) {
        return new DialerApp(config, Clock.systemUTC());
    }

    /** A node whose components read time from {@code clock} (tests advance it instead of sleeping). */
    public static DialerApp create(DialerConfig config, Clock clock) {
        return new DialerApp(config, clock);
    }

    /** Adds a component; call before {@link #start()}. */
    public synchronized DialerApp add(Component component) {
        if (startCalled) {
            throw new IllegalStateException("component " + component.name() + " added after start");
        }
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    /** The first added component of {@code type} (e.g. the node's media, for the doctor), if any. */
    public synchronized <T> java.util.Optional<T> component(Class<T> type) {
        return components.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** Starts everything; on failure stops what started and fails with the first cause. */
    public synchronized Future<Void> start() {
        if (startCalled) {
            return Future.failedFuture(new IllegalStateException("start() called twice"));
        }
        startCalled = true;
        components.forEach(c -> c.routes(http.router()));
        LOG.info("outdial {} starting: {}", Version.current(), config.database());
        Future<Void> chain = http.start().mapEmpty();
        chain = chain.compose(v -> database.start()).compose(v -> cluster.start()).compose(v -> recordStart());
        for (Component c : components) {
            chain = chain.compose(v -> startComponent(c));
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        chain.onComplete(ar -> {
            if (ar.succeeded()) {
                readiness.transition(Readiness.Phase.STARTING, Readiness.Phase.RUNNING);
                LOG.info("outdial {} started: HTTP on {}:{}, cluster member {}", Version.current(),
                    config.http().host(), http.port(), cluster.memberId());
                result.complete(null);
            } else {
                LOG.error("start-up failed: {}", ar.cause().getMessage());
                closeAll().onComplete(ignored -> result.completeExceptionally(ar.cause()));
            }
        });
        startResult = Future.fromCompletionStage(result);
        return startResult;
    }

    /** One {@code node_start} row per start: which member, which version, when. */
    private Future<Void> recordStart() {
        String node = cluster.memberId();
        return database.withConnection(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO node_start (node_id, version, started_at) VALUES (?, ?, ?)")) {
                ps.setString(1, node);
                ps.setString(2, Version.current());
                ps.setObject(3, java.time.OffsetDateTime.now(clock.withZone(java.time.ZoneOffset.UTC)));
                return ps.executeUpdate();
            }
        }).mapEmpty();
    }

    private Future<Void> startComponent(Component c) {
        return c.start()
            .onSuccess(v -> {
                synchronized (this) {
                    started.add(c);
                }
                LOG.info("component started: {}", c.name());
            })
            .recover(err -> Future.failedFuture(new IllegalStateException("component " + c.name()
                + " failed to start: " + err.getMessage(), err)));
    }

    /** Graceful stop: drain up to {@code shutdown.drainTimeout}, then close everything. Idempotent. */
    public synchronized Future<Void> stop() {
        if (stopping != null) {
            return stopping;
        }
        readiness.phase(Readiness.Phase.DRAINING);
        LOG.info("outdial stopping: draining for up to {}", config.drainTimeout());
        CompletableFuture<Void> done = new CompletableFuture<>();
        // A stop during start-up waits for the start to settle, so nothing starts after it was closed.
        startResult.transform(started -> started.succeeded() ? drain.drain(config.drainTimeout())
            : Future.<DrainTracker.DrainResult>succeededFuture()).onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null) {
                LOG.info("drain {}: {} live item(s) left", ar.result().complete() ? "complete" : "timed out",
                    ar.result().left());
            }
            closeAll().onComplete(ignored -> done.complete(null));
        });
        stopping = Future.fromCompletionStage(done);
        return stopping;
    }

    /** Stops components (reverse order), HTTP, cluster, database, then Vert.x; never fails. */
    private Future<Void> closeAll() {
        List<Component> reverse;
        synchronized (this) {
            if (closing) {
                return Future.fromCompletionStage(terminated);
            }
            closing = true;
            reverse = new ArrayList<>(started);
            started.clear();
        }
        java.util.Collections.reverse(reverse);
        Future<Void> chain = Future.succeededFuture();
        for (Component c : reverse) {
            chain = chain.transform(v -> logged("component " + c.name(), c.stop()));
        }
        chain.transform(v -> logged("http", http.stop()))
            .transform(v -> logged("cluster", cluster.stop()))
            .transform(v -> logged("database", database.close()))
            .onComplete(ar -> new Thread(this::closeVertx, "outdial-close").start());
        return Future.fromCompletionStage(terminated);
    }

    private void closeVertx() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("vert.x did not close cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            metrics.close();
            importReaders.shutdownNow();
            LOG.info("outdial stopped");
            terminated.complete(null);
        }
    }

    private static Future<Void> logged(String what, Future<Void> stop) {
        return stop.recover(err -> {
            LOG.warn("{} did not stop cleanly: {}", what, err.toString());
            return Future.succeededFuture();
        });
    }

    /** Completes when the node has fully stopped (after {@link #stop()} or a failed start). */
    public Future<Void> terminated() {
        return Future.fromCompletionStage(terminated);
    }

    /** The node's time source; pass it to every component that schedules or stamps. */
    public Clock clock() {
        return clock;
    }

    public DialerConfig config() {
        return config;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Readiness readiness() {
        return readiness;
    }

    public DrainTracker drain() {
        return drain;
    }

    /** Who may use the API: users, tokens, sessions and the audit log (docs/security.md). */
    public ApiSecurity security() {
        return security;
    }

    public Database database() {
        return database;
    }

    public ClusterNode cluster() {
        return cluster;
    }

    public MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * The node's telephony: ARI servers, call engines and trunks from the {@code asterisk} / {@code trunks}
     * sections. Adjust it before {@link #start()} (demo server, prompt resolver, call listener); after its start
     * {@code telephony().telephony()} places calls. Components added with {@link #add} start after it.
     */
    public TelephonyComponent telephony() {
        return telephony;
    }

    /** The bound HTTP port; -1 before start. */
    /** The node's import pool (contact files are read on it). */
    public Executor importReaders() {
        return importReaders;
    }

    public int httpPort() {
        return http.port();
    }
}

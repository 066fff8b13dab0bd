package io.outdial.dialer.api;

import io.outdial.dialer.input.Reason;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.node.DrainTracker;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.server.ProblemHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The campaign REST API under {@code /api/v1} (docs/api.md): campaigns and their life cycle, contact imports with
 * progress and rejected rows, stop-lists, and the OpenAPI document {@code /api/v1/openapi.json}. JSON in and out,
 * errors as JSON problems ({@link ProblemException}); every JDBC call and file operation runs on the component's
 * worker executor, never on the event loop.
 */
public final class ApiRoutes implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    /** Default upload limit for contact files and stop-list CSVs. */
    public static final long DEFAULT_MAX_UPLOAD = 256L * 1024 * 1024;
    /** How often a node marks its running imports alive ({@code api_import.updated_at}). */
    static final Duration HEARTBEAT = Duration.ofSeconds(20);
    static final String PREFIX = "/api/v1";
    /** An import still IMPORTING after this long (the import worker's own limit) died with its node. */
    static final Duration STALE_IMPORT = Duration.ofHours(6);
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final Vertx vertx;
    private final Supplier<DataSource> dataSource;
    private final Clock clock;
    private final Path workDir;
    private final Function<String, Optional<CampaignRunner>> runners;
    private final Supplier<String> nodeId;
    private final long maxUpload;
    private final DrainTracker drain;
    private final CampaignHandlers campaigns;
    private final ImportHandlers imports;
    private final StopListHandlers stopLists;
    private final ContactHandlers contacts;
    private final TelephonyHandlers telephonyRoutes;
    private final RecordingHandlers recordings;
    private final ReportHandlers reports;
    private ExportJobs exports;
    private volatile io.outdial.dialer.contact.ImportLimits importLimits =
        io.outdial.dialer.contact.ImportLimits.DEFAULTS;
    private volatile WorkerExecutor worker;
    private volatile WorkerExecutor importWorker;
    private volatile Executor importReaders;
    private volatile Router router;
    private long heartbeat = -1;
    private volatile TelephonyComponent telephony;
    private volatile CampaignRunners.FlowSource flowSource;
    /** Whether the node of that id is running now (it may still be importing); see {@link #withImportOwners}. */
    private volatile java.util.function.Predicate<String> nodeAlive = n -> false;
    private volatile boolean exclusiveDatabase;
    /** {@link System#nanoTime()} until which requests are refused at once: the database was found unreachable. */
    private volatile long databaseDownUntil = System.nanoTime();
    private volatile Supplier<io.outdial.dialer.doctor.Doctor> doctor;
    /** Whether the node's database answered its last connection attempt (any user of the pool tells). */
    private volatile java.util.function.BooleanSupplier databaseReachable = () -> true;
    private volatile java.util.function.Consumer<String> campaignChanges = id -> { };
    /** Without {@link #withContactChanges}: this node's runner of the campaign, if any, counts and picks at once. */
    private volatile java.util.function.Consumer<String> contactChanges = id -> runner(id).ifPresent(r -> {
        r.refreshCounters();
        r.wake();
    });

    /**
     * @param dataSource the node's database (read once started)
     * @param workDir    folder for uploaded files while they are imported (created on start)
     * @param runners    the local runner of a campaign, if it dials on this node
     * @param nodeId     this node's id, recorded with the imports it runs
     * @param maxUpload  largest accepted upload in bytes
     * @param drain      the node's drain: the stop waits for running imports (up to the drain timeout); null: none
     */
    public ApiRoutes(Vertx vertx, Supplier<DataSource> dataSource, Clock clock, Path workDir,
                     Function<String, Optional<CampaignRunner>> runners, Supplier<String> nodeId, long maxUpload,
                     DrainTracker drain) {
        this.vertx = vertx;
        this.dataSource = dataSource;
        this.clock = clock;
        this.workDir = workDir;
        this.runners = runners;
        this.nodeId = nodeId;
        this.maxUpload = maxUpload;
        this.drain = drain;
        this.campaigns = new CampaignHandlers(this);
        this.imports = new ImportHandlers(this);
        this.stopLists = new StopListHandlers(this);
        this.contacts = new ContactHandlers(this);
        this.telephonyRoutes = new TelephonyHandlers(this);
        this.recordings = new RecordingHandlers(this);
        this.reports = new ReportHandlers(this);
        this.exports = new ExportJobs(this, ExportJobs.KEEP);
    }

    /**
     * Refuses requests at once (503 {@code database_unavailable}) while {@code reachable} says the node found its
     * database unreachable, instead of letting each wait the pool's connect timeout. Call before start.
     */
    public ApiRoutes withDatabaseHealth(java.util.function.BooleanSupplier reachable) {
        this.databaseReachable = reachable;
        return this;
    }

    /**
     * Told the id of each campaign whose state or definition the API changed (after the commit), so the node dialing
     * it (this one or another of the cluster) reads it at once. Call before start.
     */
    public ApiRoutes withCampaignChanges(java.util.function.Consumer<String> changed) {
        this.campaignChanges = java.util.Objects.requireNonNull(changed, "changed");
        return this;
    }

    /**
     * Told the id of each campaign whose contacts the API imported, added, edited or deleted, or whose stop list it
     * changed (after the commit), so the node dialing it counts and picks them at once. Call before start.
     */
    public ApiRoutes withContactChanges(java.util.function.Consumer<String> changed) {
        this.contactChanges = java.util.Objects.requireNonNull(changed, "changed");
        return this;
    }

    @Override
    public String name() {
        return "api";
    }

    @Override
    public Future<Void> start() {
        worker = vertx.createSharedWorkerExecutor("outdial-api", 4);
        importWorker = vertx.createSharedWorkerExecutor("outdial-api-imports", 2, 6, TimeUnit.HOURS);
        return vertx.executeBlocking(() -> {
            Files.createDirectories(workDir);
            try (var old = Files.walk(workDir)) {
                // uploads left by a stopped node (their imports are reported abandoned): deepest first
                old.filter(p -> !p.equals(workDir)).sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
            }
            cleanupDeadImports();
            return null;
        }, false).onSuccess(v -> heartbeat = vertx.setPeriodic(HEARTBEAT.toMillis(), t -> imports.heartbeat()))
            .mapEmpty();
    }

    @Override
    public Future<Void> stop() {
        if (heartbeat >= 0) {
            vertx.cancelTimer(heartbeat);
        }
        Future<Void> marked = worker == null ? Future.succeededFuture() : imports.interrupted();
        return marked.recover(err -> Future.succeededFuture()).eventually(() -> {
            if (worker != null) {
                worker.close();
            }
            if (importWorker != null) {
                importWorker.close();
            }
            return Future.succeededFuture();
        });
    }

    @Override
    public void routes(Router router) {
        this.router = router;
        campaigns.mount(router);
        imports.mount(router);
        stopLists.mount(router);
        contacts.mount(router);
        telephonyRoutes.mount(router);
        recordings.mount(router);
        reports.mount(router);
        exports.mount(router);
        router.get(PREFIX + "/openapi.json").handler(ctx -> blocking(ApiRoutes::openApi).onSuccess(text -> ctx
            .response().putHeader("Content-Type", "application/json").end(text)).onFailure(ctx::fail));
    }

    /**
     * Every route mounted under {@code /api/v1} on the router this component was given (by all components),
     * as {@code METHOD /api/v1/path/{param}}, sorted. Complete once the node has started.
     */
    public List<String> registeredRoutes() {
        TreeSet<String> out = new TreeSet<>();
        Router r = router;
        if (r == null) {
            return List.of();
        }
        for (Route route : r.getRoutes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith(PREFIX + "/")) {
                continue;
            }
            String openApiPath = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            if (route.methods() == null || route.methods().isEmpty()) {
                out.add("ANY " + openApiPath);
            } else {
                for (HttpMethod m : route.methods()) {
                    out.add(m.name() + " " + openApiPath);
                }
            }
        }
        return new ArrayList<>(out);
    }

    static String openApi() throws IOException {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("resource api/openapi.json is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- shared by the handlers ----

    Vertx vertx() {
        return vertx;
    }

    DataSource ds() {
        return dataSource.get();
    }

    Clock clock() {
        return clock;
    }

    Executor importReaders() {
        return importReaders;
    }

    Path workDir() {
        return workDir;
    }

    long maxUpload() {
        return maxUpload;
    }

    /** A drain ticket for a new import (empty when the node has no drain tracker); 503 while it shuts down. */
    Optional<DrainTracker.Ticket> ticket(String what) {
        if (drain == null) {
            return Optional.empty();
        }
        return Optional.of(drain.tryBegin(what).orElseThrow(() -> new ProblemException(503, "unavailable",
            "the node is shutting down; upload the file to another node or later", null)));
    }

    String nodeId() {
        try {
            return nodeId.get();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** The node's telephony for the preflight, or null when this API runs without one. */
    TelephonyComponent telephony() {
        return telephony;
    }

    /** How the node's runners resolve flows, for the preflight; null when this node does not dial. */
    CampaignRunners.FlowSource flowSource() {
        return flowSource;
    }

    /** Lets the preflight see the node's telephony and flow resolution. Call before start. */
    /**
     * Imports whose node is gone are failed at start, and their invisible contact rows deleted, at once: an API
     * import of a node that {@code nodeAlive} does not know (this node's earlier life, killed during the import,
     * included); with an {@code exclusive} database (the embedded H2: no other node can be importing) also every
     * other unfinished import. Otherwise an import the API does not track is taken for dead after
     * {@link #STALE_IMPORT}.
     */
    public ApiRoutes withImportOwners(java.util.function.Predicate<String> nodeAlive, boolean exclusive) {
        this.nodeAlive = nodeAlive;
        this.exclusiveDatabase = exclusive;
        return this;
    }

    private void cleanupDeadImports() {
        io.outdial.dialer.contact.ContactImporter importer = new io.outdial.dialer.contact.ContactImporter(
            dataSource.get(), clock, new io.outdial.dialer.contact.PhoneNormalizer("US"), importReaders);
        String me = nodeId.get();
        int dead = 0;
        for (ApiImportStore.Active a : new ApiImportStore(dataSource.get(), clock).active()) {
            if (a.nodeId() != null && (a.nodeId().equals(me) || nodeAlive.test(a.nodeId()))) {
                continue;
            }
            if (a.contactImportId() != null) {
                importer.abandon(a.contactImportId(), a.campaignId(), ApiImportStore.ABANDONED);
            }
            new ApiImportStore(dataSource.get(), clock).failed(a.id(), ApiImportStore.ABANDONED);
            dead++;
        }
        // imports the API did not start (the run command, a seeded demo campaign)
        dead += importer.cleanupAbandoned(exclusiveDatabase ? clock.instant() : clock.instant().minus(STALE_IMPORT));
        if (dead > 0) {
            LOG.warn("{} contact import(s) left unfinished by a stopped node were failed and their rows deleted", dead);
        }
    }

    public ApiRoutes withNode(TelephonyComponent telephony, CampaignRunners.FlowSource flows) {
        this.telephony = telephony;
        this.flowSource = flows;
        return this;
    }

    /**
     * Lets {@code GET /api/v1/telephony/doctor} and the preflight check the deployment with doctors from
     * {@code doctors} (one per request: it reads the node's state then). Call before start.
     */
    /** How long a finished results export and its file are kept (default {@link ExportJobs#KEEP}). Call before start. */
    public ApiRoutes withExportKeep(java.time.Duration keep) {
        this.exports = new ExportJobs(this, Objects.requireNonNull(keep, "keep"));
        return this;
    }

    /** What one contact import may hold (rows, rejected rows, columns, cells, XLSX compression). Call before start. */
    public ApiRoutes withImportLimits(io.outdial.dialer.contact.ImportLimits limits) {
        this.importLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    io.outdial.dialer.contact.ImportLimits importLimits() {
        return importLimits;
    }

    /** Reads import files on {@code readers} (the node's import pool). */
    public ApiRoutes withImportReaders(Executor readers) {
        this.importReaders = Objects.requireNonNull(readers, "readers");
        return this;
    }

    public ApiRoutes withDoctor(Supplier<io.outdial.dialer.doctor.Doctor> doctors) {
        this.doctor = doctors;
        return this;
    }

    /** A doctor of this node, or null when the API runs without one. */
    io.outdial.dialer.doctor.Doctor doctor() {
        Supplier<io.outdial.dialer.doctor.Doctor> d = doctor;
        return d == null ? null : d.get();
    }

    Optional<CampaignRunner> runner(String campaignId) {
        return runners.apply(campaignId);
    }

    /** Tells the dialing nodes that {@code campaignId}'s state or definition changed in the database. */
    void campaignChanged(String campaignId) {
        campaignChanges.accept(campaignId);
    }

    /** Tells the node dialing {@code campaignId} that its contacts changed in the database. */
    void contactsChanged(String campaignId) {
        contactChanges.accept(campaignId);
    }

    /** Short JDBC or file work on the API worker pool. */
    <T> Future<T> blocking(Callable<T> work) {
        WorkerExecutor w = worker;
        if (w == null) {
            return Future.failedFuture(new ProblemException(503, "not_ready", "the API is not started", null));
        }
        // during an outage every request would hold one of the few workers for the pool's connect timeout: once the
        // node found the database unreachable (any connection attempt: a request, a runner, /ready) and until a
        // connection is had again, or after a request found it so until the retry time, requests are refused at once
        if (!databaseReachable.getAsBoolean() || System.nanoTime() - databaseDownUntil < 0) {
            return Future.failedFuture(new ProblemException(503, ProblemHandler.DATABASE_UNAVAILABLE,
                "the database is unreachable; retry in a few seconds", null));
        }
        return w.executeBlocking(work, false).onFailure(err -> {
            if (ProblemHandler.databaseUnreachable(err)) {
                databaseDownUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(ProblemHandler.RETRY_AFTER_SECONDS);
            }
        });
    }

    /** Long work (imports) on its own pool, so imports never starve the API's requests. */
    <T> Future<T> longRunning(Callable<T> work) {
        return importWorker.executeBlocking(work, false);
    }

    /** Answers {@code status} with the JSON the work returns, or fails the request with its error. */
    void reply(RoutingContext ctx, int status, Callable<JsonObject> work) {
        blocking(work).onSuccess(json -> json(ctx, status, json)).onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** Sends a file written by the work as {@code text/csv}, then deletes it. */
    void csv(RoutingContext ctx, String downloadName, Callable<Path> work) {
        download(ctx, downloadName, "text/csv; charset=utf-8", work);
    }

    /** Sends the file {@code work} makes on a worker as an attachment of {@code type}, then deletes it. */
    void download(RoutingContext ctx, String downloadName, String type, Callable<Path> work) {
        blocking(work).onSuccess(file -> ctx.response().putHeader("Content-Type", type)
                .putHeader("Content-Disposition", "attachment; filename=\"" + downloadName + "\"")
                .sendFile(file.toString()).onComplete(ar -> vertx.fileSystem().delete(file.toString())))
            .onFailure(ctx::fail);
    }

    /** A fresh temporary file in the work folder. */
    Path tempFile(String prefix, String suffix) throws IOException {
        Files.createDirectories(workDir);
        return Files.createTempFile(workDir, prefix, suffix);
    }

    /** {@code ?limit=&offset=}: limit 1..1000 (default 50), offset >= 0 (default 0). */
    record Page(int limit, long offset) {
        static Page of(RoutingContext ctx) {
            int limit = (int) number(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
            long offset = number(ctx, "offset", 0, 0, Long.MAX_VALUE);
            return new Page(limit, offset);
        }

        JsonObject wrap(JsonArray items, long total) {
            return new JsonObject().put("items", items).put("total", total).put("limit", limit).put("offset", offset);
        }
    }

    static long number(RoutingContext ctx, String name, long dflt, long min, long max) {
        return io.outdial.dialer.server.DialerHttpServer.queryNumber(ctx, name, dflt, min, max);
    }

    static Logger log() {
        return LOG;
    }
}

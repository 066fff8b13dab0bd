package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.node.DrainTracker;
import io.outdial.dialer.node.EventLoops;
import io.outdial.dialer.ready.Readiness;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.micrometer.core.instrument.MeterRegistry;
import io.outdial.dialer.flow.IvrWiring;
import io.vertx.core.Vertx;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.PacingBackend;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.FlowRunner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's campaign dialing, following the campaign table. Every {@code dialing.reconcileInterval} (1 s) it
 * reads the SCHEDULED, RUNNING and PAUSED campaigns on a worker and:
 * <ol>
 *   <li>applies the automatic moves ({@link CampaignLifecycle#due}): SCHEDULED → RUNNING at {@code startsAt};
 *       RUNNING/PAUSED → FINISHED at {@code endsAt} (a runner here is paused first, so its live calls end and are
 *       stored, then the campaign is finished);</li>
 *   <li>starts a {@link CampaignRunner} for each RUNNING campaign without one (also campaigns created or started
 *       after the node started, e.g. through the API);</li>
 *   <li>pauses and drops the runner of a campaign that left RUNNING (paused or finished by the API);</li>
 *   <li>reports a campaign whose definition cannot run (bad stored JSON, missing flow) as DEGRADED with the
 *       reason, and tries again when its row changes (version).</li>
 * </ol>
 * All runners share the node's {@link NodeLimits} (global limit from {@code dialing}, trunk limits from the node's
 * trunks, else the definitions) and {@link LineSharing} (priority and weight). Each campaign shows in
 * {@code /ready} as {@code campaign:<id>}: UP while dialing, UP with the reason when idle for a normal reason
 * (calendar, no due contact, limits, paused, scheduled, finished), DEGRADED when its telephony is down or its
 * definition cannot run. Which campaigns this node dials is a {@link CampaignOwnership} (one node: all). On the
 * drain every runner pauses (no new contact; live calls finish and their outcomes are stored).
 */
public final class CampaignRunners implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunners.class);
    private static final int PROGRESS_EVERY = 5;

    /** Resolves a definition's flow (a file or a stored flow); the runner is null for a campaign without a flow. */
    @FunctionalInterface
    public interface FlowSource {
        Future<FlowRunner> flow(CampaignFile definition);

        /**
         * The stored flow version a start of {@code definition} would run: its {@code flowVersion}, or for 0 the
         * latest valid one (a definition with a {@code flowId} only).
         */
        default Future<Integer> version(CampaignFile definition) {
            return Future.succeededFuture(definition.flowVersion());
        }

        /**
         * Serve mode's flows: a definition's {@code flowId} (+ {@code flowVersion}) from the flow store and prompt
         * media of {@code ivr} (the store exists once its component started), a {@code flow} file from its file.
         */
        static FlowSource stored(Vertx vertx, IvrWiring ivr) {
            return new StoredFlows(vertx, ivr);
        }
    }

    /** How often the drain looks whether only calls on unreachable servers are left. */
    private static final long UNREACHABLE_CHECK_MS = 200;
    /** How long the stop waits for live attempts after the drain. */
    private static final long STOP_GRACE_MS = 2_000;

    /**
     * What the dialing component uses of its node.
     *
     * @param memberId this node's cluster member id (asked once the node started)
     * @param clock    the node's clock: business time of every runner
     */
    public record Services(Vertx vertx, DialingConfig config, TelephonyComponent telephony, Database database,
                           Readiness readiness, DrainTracker drain, MeterRegistry meters, Supplier<String> memberId,
                           Clock clock) {
        public Services {
            Objects.requireNonNull(vertx, "vertx");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(telephony, "telephony");
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(readiness, "readiness");
            Objects.requireNonNull(drain, "drain");
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final Services node;
    private final CampaignOwnership ownership;
    private final FlowSource flows;
    private PacingBackend pacing;
    private NodeScope scope;
    private volatile DialGate gate = DialGate.OPEN;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();
    private RunnerClock clock;
    private volatile Context context;
    private WorkerExecutor worker;
    private DefinitionFlows definitionFlows;
    private CampaignTable table;
    private NodeLimits limits;
    private LineSharing sharing;
    private CampaignMetrics metrics;
    private long timer = -1;
    private boolean reconciling;
    /** A change was signalled while a read was in flight: read once more when it is done. */
    private boolean readAgain;
    /** Whether a reconcile has read the table since the start (the first read also takes FINISHED rows). */
    private boolean readOnce;
    private volatile boolean stopped;

    /** What the node knows of one campaign (touched on the component's context; read by /ready). */
    private static final class Entry {
        volatile CampaignRunner runner;
        volatile DependencyStatus idle;
        /** What the campaign does while no runner dials it here ({@link CampaignMetrics#REASONS}). */
        volatile String reason = "starting";
        int version = -1;
        int failedVersion = -1;
        /** The version whose line limit the campaign's gauge shows while no runner dials it here. */
        int limitVersion = -1;
        /** The stored definition the runner was started with. */
        String settings;
        boolean starting;
        boolean stopping;
        /** Finished while this node knew it: its row is still read, so /ready shows it finished, then archived. */
        boolean finished;
    }

    /**
     * @param ownership which campaigns this node dials
     * @param flows     resolves stored flows ({@code flowId}); null: flow files only
     */
    public CampaignRunners(Services services, CampaignOwnership ownership, FlowSource flows) {
        this.node = Objects.requireNonNull(services, "services");
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        this.flows = flows;
    }

    /**
     * Where the node's line leases and rate windows live (before {@link #start}); default: in the node. A cluster
     * passes its shared ones, so the global, trunk and campaign limits hold across nodes.
     */
    public CampaignRunners usePacing(PacingBackend backend) {
        this.pacing = Objects.requireNonNull(backend, "backend");
        return this;
    }

    /**
     * Which attempts and claims this node reconciles (before {@link #start}): its own (those of its
     * {@link Services#memberId}) and those of the nodes that are gone ({@code alive} is false for them; blocking, it
     * may ask the cluster); {@code shared} says whether other live nodes may share the database (then runners look
     * for a dead node's attempts now and then). Default: a node alone (its own and those of its previous processes).
     */
    public CampaignRunners useScope(Predicate<String> alive, BooleanSupplier shared) {
        Objects.requireNonNull(alive, "alive");
        Objects.requireNonNull(shared, "shared");
        Supplier<String> memberId = node.memberId();
        this.scope = new NodeScope() {
            @Override
            public String nodeId() {
                return memberId.get();
            }

            @Override
            public boolean alive(String id) {
                return alive.test(id);
            }

            @Override
            public boolean shared() {
                return shared.getAsBoolean();
            }
        };
        return this;
    }

    /**
     * Which picked contacts the runners started from now on dial ({@link DialGate}); default: all of them. The
     * messaging fallback gives its gate, so a campaign whose scheme starts with a message dials a contact only once
     * its run reached the voice block.
     */
    public CampaignRunners useGate(DialGate dialGate) {
        this.gate = Objects.requireNonNull(dialGate, "dialGate");
        return this;
    }

    /** How this node resolves a definition's flow (file or stored flow), as its runners do. */
    public FlowSource flowSource() {
        return file -> definitionFlows.flow(file);
    }

    /** The readiness entry of a campaign: {@code campaign:<id>}. */
    public static String checkName(String campaignId) {
        return "campaign:" + campaignId;
    }

    @Override
    public String name() {
        return "campaigns";
    }

    @Override
    public Future<Void> start() {
        DialingConfig cfg = node.config();
        clock = RunnerClock.real(node.clock());
        worker = node.vertx().createSharedWorkerExecutor("outdial-campaigns", 4);
        definitionFlows = new DefinitionFlows(flows, worker);
        table = new CampaignTable(node.database(), clock, ownership);
        if (scope == null) {
            scope = NodeScope.alone(node.memberId());
        }
        limits = Limits.node(cfg, node.telephony().trunks().values(),
            pacing != null ? pacing : PacingBackend.local(clock));
        sharing = new LineSharing(limits.pacer());
        metrics = new CampaignMetrics(node.meters());
        metrics.node(limits.pacer());
        node.telephony().trunks().keySet().forEach(t -> metrics.trunk(limits.pacer(), t));
        node.drain().onDrain(name(), this::drain);
        LOG.info("campaigns: following the campaign table every {} ms; node limits {} lines, {}/s, {}/min",
            cfg.reconcileInterval().toMillis(), cfg.maxLines(), cfg.maxPerSecond(), cfg.maxPerMinute());
        Promise<Void> first = Promise.promise();
        // the reconcile loop on an event loop of its own
        EventLoops.fresh(node.vertx()).onFailure(first::fail).onSuccess(ctx -> (context = ctx).runOnContext(v -> {
            reconcile().onComplete(first);
            timer = node.vertx().setPeriodic(cfg.reconcileInterval().toMillis(), t -> {
                reconcile();
                entries.keySet().forEach(this::logChange);
            });
        }));
        return first.future();
    }

    /** A runner's parts and its own event loop, before it starts. */
    private record Prepared(RunnerParts parts, Context context) { }

    /** The node's pacer (shared limits), once started. */
    NodeLimits limits() {
        return limits;
    }

    /**
     * Reads the campaign table now rather than at the next {@code dialing.reconcileInterval}: a campaign's state or
     * definition was changed (on this node or another one), so a pause, a stop, a resume or a new start time reaches
     * its owner at once. Any thread.
     */
    public void reconcileSoon() {
        Context ctx = context;
        if (ctx == null || stopped) {
            return;
        }
        ctx.runOnContext(v -> readNow());
    }

    /**
     * Contacts of {@code campaignId} were imported, added, edited or deleted (through any node's API): its runner on
     * this node, if any, re-reads its counters and picks at once. Any thread.
     */
    public void contactsChanged(String campaignId) {
        runner(campaignId).ifPresent(r -> {
            r.refreshCounters();
            r.wake();
        });
    }

    /** On the context: reads the table now, or once more when the read in flight is done. */
    private void readNow() {
        if (stopped) {
            return;
        }
        if (reconciling) {
            readAgain = true;
        } else {
            reconcile();
        }
    }

    /** One pass (on the component's context); completes when the runners it started are dialing. */
    private Future<Void> reconcile() {
        if (reconciling || stopped) {
            return Future.succeededFuture();
        }
        readAgain = false;
        reconciling = true;
        List<String> withRunner = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        entries.forEach((id, e) -> {
            if (e.runner != null || e.starting) {
                withRunner.add(id);
            } else if (e.finished) {
                ended.add(id);
            }
        });
        boolean withFinished = !readOnce;
        return blocking(() -> table.read(withRunner, ended, withFinished)).map(snap -> {
            reconciling = false;
            readOnce = true;
            List<Future<Void>> starts = apply(snap);
            if (readAgain) {
                reconcile();
            }
            return starts;
        }).compose(starts -> Future.join(starts).<Void>mapEmpty()).recover(err -> {
            reconciling = false;
            LOG.error("campaigns: reading the campaign table failed: {}", err.toString(), err);
            return Future.succeededFuture();
        });
    }

    /** On the context: start, update, pause; returns the starts in flight. */
    private List<Future<Void>> apply(CampaignTable.Snapshot snap) {
        List<Future<Void>> starts = new ArrayList<>();
        if (stopped) {
            return starts; // draining: no new runner, no change
        }
        for (String id : List.copyOf(entries.keySet())) {
            Entry e = entries.get(id);
            Campaign c = snap.rows().get(id);
            if (e.runner != null && (c == null || c.state() != CampaignState.RUNNING || snap.toFinish().contains(id))) {
                stopRunner(id, e, c, snap.toFinish().contains(id), snap.elsewhere().contains(id));
            } else if (e.runner != null && !c.settings().equals(e.settings)) {
                // edited in a pause that fell between two reads of the table (paused, replaced and resumed within
                // one period): the runner still dials the old definition, so it stops and the next read starts anew
                LOG.info("campaign {}: its definition changed while this node did not see it paused", id);
                stopRunner(id, e, c, false, false);
            } else if (e.runner == null && !e.starting && !e.stopping && c == null
                    && !snap.elsewhere().contains(id)) {
                entries.remove(id); // finished elsewhere, archived, deleted or owned elsewhere now
                node.readiness().unregister(checkName(id));
                metrics.remove(id);
            }
        }
        for (String id : snap.elsewhere()) {
            // dialed by another node of the cluster: shown here, followed for the live view
            Entry e = entries.computeIfAbsent(id, this::newEntry);
            if (e.runner == null && !e.starting && !e.stopping) {
                e.idle = DependencyStatus.up("idle, dialed by another node");
                e.reason = "elsewhere";
            }
            knowLimit(id, e, snap.others().get(id));
        }
        for (Campaign c : snap.rows().values()) {
            Entry e = entries.computeIfAbsent(c.id(), this::newEntry);
            e.finished = c.state() == CampaignState.FINISHED || c.state() == CampaignState.ARCHIVED;
            knowLimit(c.id(), e, c);
            if (c.state() != CampaignState.RUNNING) {
                if (e.runner == null && !e.stopping) {
                    WhyNotDialing why = CampaignStatus.reason(c);
                    e.idle = CampaignStatus.idle(why);
                    e.reason = why.code();
                }
                continue;
            }
            if (e.runner != null) {
                if (c.version() != e.version) {
                    e.version = c.version();
                    sharing.share(c.id(), c.priority(), c.weight());
                }
                continue;
            }
            if (e.starting || e.stopping || snap.toFinish().contains(c.id())
                    || e.failedVersion == c.version()) {
                continue;
            }
            starts.add(startRunner(c, e));
        }
        return starts;
    }

    /**
     * The campaign's configured line limit for its gauge while no runner dials it here (dialed by another node,
     * paused, scheduled), read from its definition once per version.
     */
    private void knowLimit(String id, Entry e, Campaign c) {
        if (c == null || c.version() == e.limitVersion) {
            return;
        }
        e.limitVersion = c.version();
        try {
            metrics.limit(id, CampaignFile.fromStored(id, c.settings()).settings().lines()
                .max(LimitKey.campaign(id)));
        } catch (RuntimeException err) {
            LOG.debug("campaign {}: line limit not read from its definition: {}", id, err.toString());
        }
    }

    private Entry newEntry(String id) {
        Entry e = new Entry();
        node.readiness().register(checkName(id), () -> Future.succeededFuture(status(e)));
        metrics.campaign(id, limits.pacer(), new CampaignMetrics.Source() {
            @Override
            public CampaignRunner runner() {
                return e.runner;
            }

            @Override
            public String idleReason() {
                return e.reason;
            }
        });
        return e;
    }

    private Future<Void> startRunner(Campaign c, Entry e) {
        String id = c.id();
        e.starting = true;
        e.version = c.version();
        e.settings = c.settings();
        Optional<Telephony> telephony = node.telephony().telephony();
        CampaignFile file;
        try {
            file = CampaignFile.fromStored(id, c.settings());
            if (telephony.isEmpty()) {
                throw new IllegalStateException("no Asterisk configured: cannot dial");
            }
        } catch (RuntimeException err) {
            e.starting = false;
            failed(id, e, c.version(), err.getMessage());
            return Future.succeededFuture();
        }
        Trunk trunk = node.telephony().trunk(file.trunk().name()).orElseGet(() -> new Trunk(file.trunk()));
        NodeScope runnerScope = scope;
        CampaignSettings s = file.settings();
        return pinned(id, file).compose(definitionFlows::flow)
            .compose(flow -> blocking(() -> RunnerWiring.parts(node.database(), node.telephony().callRecords(),
                Dialing.of(telephony.get()), trunk, s, flow, clock, file.region(), runnerScope, limits.pacer(), sharing,
                c.priority(), c.weight(), gate)))
            .compose(parts -> EventLoops.fresh(node.vertx()).map(loop -> new Prepared(parts, loop)))
            .compose(made -> {
                RunnerParts parts = made.parts();
                if (stopped) {
                    return Future.failedFuture(new IllegalStateException("the node is draining"));
                }
                Limits.join(limits, id, trunk.name(), file.trunk(), s);
                metrics.trunk(limits.pacer(), trunk.name());
                CampaignRunner runner = new CampaignRunner(node.vertx(), made.context(), parts, worker)
                    .readCountersEvery(node.config().counterReadInterval().toMillis());
                runner.onProgress(st -> {
                    if (st.ended() % PROGRESS_EVERY == 0) {
                        LOG.info("campaign {}: progress {}", id, st);
                    }
                });
                return runner.start().map(v -> runner).onFailure(x -> limits.leave(id));
            })
            .transform(ar -> {
                Promise<Void> done = Promise.promise();
                context.runOnContext(v -> {
                    e.starting = false;
                    if (ar.failed()) {
                        failed(id, e, c.version(), "runner did not start: " + ar.cause().getMessage());
                    } else {
                        CampaignRunner runner = ar.result();
                        e.runner = runner;
                        metrics.attach(id, runner);
                        e.failedVersion = -1;
                        runner.finished().onComplete(w -> context.runOnContext(x -> finishedByItself(id, e, runner)));
                        if (stopped) {
                            runner.pause();
                        }
                    }
                    done.complete();
                });
                return done.future();
            });
    }

    /**
     * The definition with its stored flow's version pinned: the version of the campaign's first start is stored
     * with it and kept for every later start (resume, restart, another node) until its flow is edited.
     */
    private Future<CampaignFile> pinned(String id, CampaignFile file) {
        if (file.flowId() == null || flows == null) {
            return Future.succeededFuture(file);
        }
        JdbcCampaignStore store = new JdbcCampaignStore(node.database().dataSource(), clock);
        return blocking(() -> store.flowPin(id)).compose(pin -> {
            if (file.flowVersion() == 0 && pin.isPresent()) {
                return Future.succeededFuture(pin.getAsInt());
            }
            return flows.version(file).compose(v -> blocking(() -> store.pinFlow(id, v, file.flowVersion() > 0)));
        }).map(file::withFlowVersion);
    }

    private void failed(String id, Entry e, int version, String detail) {
        e.failedVersion = version;
        e.idle = DependencyStatus.degraded(detail);
        e.reason = "not_runnable";
        LOG.warn("campaign {}: not dialing: {} (tried again when the campaign changes)", id, detail);
    }

    private void finishedByItself(String id, Entry e, CampaignRunner runner) {
        if (e.runner != runner) {
            return;
        }
        e.runner = null;
        metrics.detach(id, runner);
        e.finished = runner.whyNot() instanceof WhyNotDialing.Finished;
        e.idle = CampaignStatus.idle(runner.whyNot());
        e.reason = runner.whyNot().code();
        limits.leave(id);
        LOG.info("campaign {}: {}", id, runner.whyNot().message());
    }

    /** Pauses a runner whose campaign left RUNNING (or whose end time passed: then the campaign is finished). */
    private void stopRunner(String id, Entry e, Campaign row, boolean finish, boolean elsewhere) {
        CampaignRunner runner = e.runner;
        e.runner = null;
        e.stopping = true;
        WhyNotDialing why = row == null ? new WhyNotDialing.Finished(CampaignState.ARCHIVED)
            : finish ? new WhyNotDialing.Finished(CampaignState.FINISHED) : CampaignStatus.reason(row);
        if (elsewhere) {
            LOG.info("campaign {}: now dialed by another node; pausing its runner here", id);
        }
        e.idle = DependencyStatus.up("stopping, " + why.code() + ": live calls finish first");
        e.reason = "stopping";
        LOG.info("campaign {}: {}; pausing its runner ({} live)", id, finish ? "end time passed" : "now "
            + (row == null ? "gone" : row.state()), runner.stats().live());
        runner.pause()
            .compose(v -> finish ? blocking(() -> finishNow(id)) : Future.succeededFuture())
            .onComplete(ar -> context.runOnContext(v -> {
                e.stopping = false;
                limits.leave(id);
                metrics.detach(id, runner);
                if (ar.failed()) {
                    LOG.error("campaign {}: finishing failed: {}", id, ar.cause().toString());
                }
                e.idle = elsewhere ? DependencyStatus.up("idle, dialed by another node") : CampaignStatus.idle(why);
                e.reason = elsewhere ? "elsewhere" : why.code();
                e.finished = why instanceof WhyNotDialing.Finished && row != null;
                LOG.info("campaign {}: runner stopped ({}), {}", id, why.code(), runner.stats());
                // a resume or an edit read while the live calls ended was skipped: read the table again now
                readNow();
            }));
    }

    private Void finishNow(String id) {
        JdbcCampaignStore store = new JdbcCampaignStore(node.database().dataSource(), clock);
        for (int i = 0; i < 3; i++) {
            Optional<Campaign> c = store.get(id);
            if (c.isEmpty() || !c.get().state().canMoveTo(CampaignState.FINISHED)) {
                return null;
            }
            if (store.moveTo(c.get(), CampaignState.FINISHED, "end time " + c.get().endsAt() + " passed").isPresent()) {
                return null;
            }
        }
        return null;
    }

    private DependencyStatus status(Entry e) {
        CampaignRunner r = e.runner;
        if (r != null) {
            return CampaignStatus.status(r);
        }
        DependencyStatus idle = e.idle;
        return idle != null ? idle : DependencyStatus.up("starting");
    }

    private void logChange(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return;
        }
        DependencyStatus s = status(e);
        CampaignRunner r = e.runner;
        String key = s.stateName() + " " + (s.detail().startsWith("dialing") ? "dialing"
            : r != null ? r.whyNot().code() : s.detail());
        if (!key.equals(lastLogged.put(id, key))) {
            LOG.info("campaign {}: {} {}", id, s.stateName(), s.detail());
        }
    }

    private Future<Void> pauseAll() {
        Promise<Void> done = Promise.promise();
        Context ctx = context;
        if (ctx == null) {
            return Future.succeededFuture();
        }
        ctx.runOnContext(v -> {
            stopped = true;
            if (timer >= 0) {
                node.vertx().cancelTimer(timer);
                timer = -1;
            }
            List<Future<Void>> pauses = new ArrayList<>();
            entries.forEach((id, e) -> {
                CampaignRunner r = e.runner;
                if (r != null) {
                    pauses.add(r.pause().onSuccess(x -> LOG.info("campaign {}: paused, {}", id, r.stats())));
                }
            });
            Future.join(pauses).<Void>mapEmpty().onComplete(done);
        });
        return done.future();
    }

    /**
     * The drain: every runner pauses and its live calls finish. Calls on an Asterisk server that is not reachable
     * cannot be seen to end (its events are gone with it): once only such calls are left the drain stops waiting
     * for them. Their attempts stay DIALING and the next start recovers them (ended LOST if their channel is gone).
     */
    private Future<Void> drain() {
        Promise<Void> done = Promise.promise();
        pauseAll().onComplete(done);
        long timer = node.vertx().setPeriodic(UNREACHABLE_CHECK_MS, id -> context.runOnContext(v -> {
            int unreachable = unreachableLiveCalls();
            if (unreachable > 0 && unreachable >= liveAttempts() && done.tryComplete()) {
                LOG.warn("campaigns: {} live call(s) are on Asterisk servers that are not reachable; not waiting for "
                    + "them (their attempts are recovered at the next start)", unreachable);
            }
        }));
        return done.future().onComplete(x -> node.vertx().cancelTimer(timer));
    }

    /** Live calls on servers that are not ready (their end cannot be observed now). */
    private int unreachableLiveCalls() {
        return node.telephony().telephony().map(t -> t.engines().stream()
            .filter(e -> !e.server().ready()).mapToInt(CallEngine::activeCalls).sum()).orElse(0);
    }

    /** Attempts the runners of this node count as live (calls plus outcomes being stored). */
    private int liveAttempts() {
        int live = 0;
        for (Entry e : entries.values()) {
            CampaignRunner r = e.runner;
            live += r == null ? 0 : r.stats().live();
        }
        return live;
    }

    /**
     * Stops the runners. The drain already waited for live calls (up to the drain timeout): this waits at most
     * {@link #STOP_GRACE_MS} more, so a stop never hangs on calls that cannot end (an Asterisk that died).
     */
    @Override
    public Future<Void> stop() {
        return pauseAll().timeout(STOP_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS).recover(e -> {
            LOG.warn("campaigns: {} live attempt(s) did not end before the stop; they are recovered at the next start",
                liveAttempts());
            return Future.succeededFuture();
        }).eventually(() -> {
            if (worker != null) {
                worker.close();
            }
            return Future.succeededFuture();
        });
    }

    /** The runner of a campaign, if it dials on this node now. */
    public Optional<CampaignRunner> runner(String campaignId) {
        Entry e = entries.get(campaignId);
        return e == null ? Optional.empty() : Optional.ofNullable(e.runner);
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> work) {
        return worker.executeBlocking(work, false);
    }
}

package io.outdial.dialer.runner;

import io.outdial.dialer.Component;
import io.outdial.dialer.DialerApp;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.campaign.WhyNotDialing;
import io.outdial.dialer.pacing.LocalLineLeases;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.SlidingWindowRateLimiter;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.trunk.Trunk;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's campaign dialing: on start, one {@link CampaignRunner} per RUNNING campaign of the database (after the
 * telephony), all sharing one {@link Pacer} so the global and trunk line limits hold across campaigns. On the drain
 * the runners pause (no new contact; live calls finish and their outcomes are stored). Each campaign shows in
 * {@code /ready} as {@code campaign:<id>}: UP while dialing, UP with the reason when idle for a normal reason
 * (calendar, no due contact, limits, finished), DEGRADED when its telephony is down or it could not start.
 *
 * <p>A campaign's runner settings come from the definition stored with it ({@link CampaignFile#fromStored}).
 */
public final class CampaignRunners implements Component {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunners.class);
    private static final long WATCH_MS = 1_000;
    private static final int PROGRESS_EVERY = 5;

    private final DialerApp app;
    private final Map<String, CampaignRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, String> lastLogged = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicBoolean paused = new java.util.concurrent.atomic.AtomicBoolean();
    private WorkerExecutor worker;
    private long watch = -1;

    public CampaignRunners(DialerApp app) {
        this.app = app;
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
        worker = app.vertx().createSharedWorkerExecutor("outdial-campaigns", 4);
        app.drain().onDrain(name(), this::pauseAll);
        RunnerClock clock = RunnerClock.system();
        return app.vertx().executeBlocking(() -> load(clock)).compose(loaded -> {
            if (loaded.isEmpty()) {
                LOG.info("campaigns: no RUNNING campaign to dial");
                return Future.succeededFuture();
            }
            CallEngine engine = engine();
            if (engine == null) {
                loaded.keySet().forEach(id -> fail(id, "no Asterisk configured: cannot dial"));
                return Future.succeededFuture();
            }
            Pacer pacer = sharedPacer(loaded.values(), clock);
            List<Future<Void>> starts = new ArrayList<>();
            loaded.forEach((id, file) -> starts.add(startOne(id, file, engine, pacer, clock)));
            watch = app.vertx().setPeriodic(WATCH_MS, t -> runners.keySet().forEach(this::logChange));
            return Future.join(starts).mapEmpty();
        });
    }

    /** RUNNING campaigns with their campaign files; a campaign without a readable file is reported, not dialed. */
    private Map<String, CampaignFile> load(RunnerClock clock) {
        Map<String, CampaignFile> out = new LinkedHashMap<>();
        JdbcCampaignStore store = new JdbcCampaignStore(app.database().dataSource(), clock);
        for (Campaign c : store.inState(CampaignState.RUNNING)) {
            try {
                out.put(c.id(), fileOf(c));
            } catch (RuntimeException e) {
                fail(c.id(), e.getMessage());
            }
        }
        return out;
    }

    static CampaignFile fileOf(Campaign c) {
        return CampaignFile.fromStored(c.id(), c.settings());
    }

    private Future<Void> startOne(String id, CampaignFile file, CallEngine engine, Pacer pacer, RunnerClock clock) {
        Trunk trunk = app.telephony().trunk(file.trunk().name()).orElseGet(() -> new Trunk(file.trunk()));
        String owner = app.cluster().memberId();
        return app.vertx().executeBlocking(() -> RunnerWiring.parts(app.database().dataSource(), engine, trunk,
                file.settings(), HeadlessRun.loadFlow(file), clock, file.region(), owner, pacer))
            .compose(parts -> {
                CampaignRunner runner = new CampaignRunner(app.vertx(), parts, worker);
                runners.put(id, runner);
                app.readiness().register(checkName(id), () -> Future.succeededFuture(status(runner)));
                runner.onProgress(s -> {
                    if (s.ended() % PROGRESS_EVERY == 0) {
                        LOG.info("campaign {}: progress {}", id, s);
                    }
                });
                runner.finished().onSuccess(w -> LOG.info("campaign {}: {}", id, w.message()));
                return runner.start();
            })
            .recover(err -> {
                runners.remove(id);
                fail(id, "runner did not start: " + err.getMessage());
                return Future.succeededFuture();
            });
    }

    private CallEngine engine() {
        return app.telephony().telephony().map(t -> t.engine(app.telephony().servers().get(0).name()))
            .orElse(null);
    }

    /** One pacer for the node: the tightest global limit, every trunk's and campaign's own limits. */
    static Pacer sharedPacer(Iterable<CampaignFile> files, RunnerClock clock) {
        int global = Integer.MAX_VALUE;
        Map<String, Integer> trunkLines = new LinkedHashMap<>();
        Map<String, Integer> campaignLines = new LinkedHashMap<>();
        io.outdial.dialer.pacing.RateLimit globalRate = null;
        Map<String, io.outdial.dialer.pacing.RateLimit> trunkRates = new LinkedHashMap<>();
        Map<String, io.outdial.dialer.pacing.RateLimit> campaignRates = new LinkedHashMap<>();
        for (CampaignFile f : files) {
            CampaignSettings s = f.settings();
            global = Math.min(global, s.lines().global());
            s.lines().trunks().forEach((k, v) -> trunkLines.merge(k, v, Math::min));
            campaignLines.putAll(s.lines().campaigns());
            globalRate = globalRate == null ? s.rates().global() : globalRate;
            trunkRates.putAll(s.rates().trunks());
            campaignRates.putAll(s.rates().campaigns());
        }
        return new Pacer(new LocalLineLeases(new io.outdial.dialer.pacing.LineLimits(global, trunkLines,
            campaignLines), clock), new SlidingWindowRateLimiter(new io.outdial.dialer.pacing.RateLimits(globalRate,
            trunkRates, campaignRates)));
    }

    /** The readiness status of one runner. */
    static DependencyStatus status(CampaignRunner runner) {
        return status(runner.stats().started() - runner.stats().ended(), runner.whyNot(), runner.stats().toString());
    }

    /** UP while calls are live, DEGRADED when telephony is down, otherwise UP with the idle reason. */
    static DependencyStatus status(int live, WhyNotDialing why, String stats) {
        if (live > 0) {
            return DependencyStatus.up("dialing: " + live + " live call(s); " + stats);
        }
        if (why instanceof WhyNotDialing.AsteriskDown || why instanceof WhyNotDialing.TrunkDown) {
            return DependencyStatus.degraded(why.code() + ": " + why.message());
        }
        return DependencyStatus.up("idle, " + why.code() + ": " + why.message());
    }

    private void logChange(String id) {
        CampaignRunner r = runners.get(id);
        if (r == null) {
            return;
        }
        DependencyStatus s = status(r);
        String key = s.state() + " " + (s.detail().startsWith("dialing") ? "dialing" : r.whyNot().code());
        if (!key.equals(lastLogged.put(id, key))) {
            LOG.info("campaign {}: {} {}", id, s.state(), s.detail());
        }
    }

    private void fail(String id, String detail) {
        DependencyStatus s = DependencyStatus.degraded(detail);
        app.readiness().register(checkName(id), () -> Future.succeededFuture(s));
        LOG.warn("campaign {}: not dialing: {}", id, detail);
    }

    private Future<Void> pauseAll() {
        if (!paused.compareAndSet(false, true)) {
            return Future.succeededFuture(); // drained already: stop() after the drain has nothing left to pause
        }
        List<Future<Void>> pauses = new ArrayList<>();
        runners.forEach((id, r) -> pauses.add(r.pause().onSuccess(v -> LOG.info("campaign {}: paused, {}", id,
            r.stats()))));
        return Future.join(pauses).mapEmpty();
    }

    @Override
    public Future<Void> stop() {
        if (watch >= 0) {
            app.vertx().cancelTimer(watch);
        }
        return pauseAll().eventually(() -> {
            if (worker != null) {
                worker.close();
            }
            return Future.succeededFuture();
        });
    }

    /** The runner of a campaign, if it dials on this node. */
    public java.util.Optional<CampaignRunner> runner(String campaignId) {
        return java.util.Optional.ofNullable(runners.get(campaignId));
    }
}

package io.outdial.dialer.dialing;

import io.outdial.dialer.ari.OriginatePermit;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.dialing.CampaignScheduler.DialTask;
import io.outdial.dialer.dialing.CampaignScheduler.Pick;
import io.outdial.dialer.dialing.CampaignScheduler.PickFailed;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.RateLimiter;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkHealth;
import io.outdial.ivr.spi.FlowRunner;
import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one running campaign dial (ARCHITECTURE §2 "Dialing"). Everything runs on the runner's event-loop
 * context (engine futures complete on their server's context and hop back); JDBC work goes to a worker executor.
 * Shared (global, trunk) lines are claimed from {@link LineSharing} by priority and
 * weight; a line freed by any campaign wakes the runner when it is its turn. One round: a server ready for the
 * trunk → rate room (no pick while the rate windows are full) → lines claimed → pick as many due contacts as both
 * allow → per contact a line lease → stop-list re-check and the attempt row (DIALING, pre-assigned channel id)
 * written → originate, its rate token taken as the request leaves ({@link OriginatePermit}) → at the call's end the
 * lease released (on the engine's context) → outcome stored and mapped, rules applied.
 * When nothing can be dialed the reason is kept ({@link #whyNot()}) and a timer wakes the runner at the right
 * time (call ends wake it too). The campaign finishes by itself when no contact is open (unless always-active).
 */
public final class CampaignRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CampaignRunner.class);
    /**
     * How long after its token's instant an originate request may still leave: half the margin the send windows
     * are held longer than their length ({@link io.outdial.dialer.pacing.SlidingWindowRateLimiter#SEND_GUARD}),
     * the other half left to the network and the PBX's queue.
     */
    static final long LATE_GRANT_MS = io.outdial.dialer.pacing.SlidingWindowRateLimiter.SEND_GUARD.toMillis() / 2;
    /** Longest real wait between two rounds, so a clock change or a missed wake-up costs at most this. */
    private static final long MAX_WAIT_MS = 5_000;
    private static final long TELEPHONY_RETRY_MS = 1_000;
    /** Shortest pause between two reads of the counters from the database. */
    static final long MIN_RESYNC_MS = 10_000;
    /** How often an owner in a cluster looks for a dead node's attempts of its campaign. */
    static final long ORPHAN_SCAN_MS = 2_000;
    /**
     * The pause between two full reads of the counters (a scan of the campaign's contacts) is at least this many
     * times the last full read's duration: the scan takes at most 0.1 % of the runner's time (a rate-limited campaign
     * of 100,000 contacts must cost under 1 % of a core while it waits). Between two full reads, every
     * {@link #MIN_RESYNC_MS} a read of only the contacts that became due since the last read moves them from planned
     * to available ({@link io.outdial.dialer.contact.JdbcContactStore#becameDue}, a range of the due index).
     */
    static final long RESYNC_FACTOR = 1_000;
    /** A full counter read asked by {@link #refreshCounters} waits until this many of the last one's durations passed. */
    static final long REFRESH_FACTOR = 10;
    /** The longest pause between two full counter reads, however slow the last read was. */
    static final long MAX_RESYNC_MS = 300_000;
    /** First and longest wait before a database write of the runner is tried again ({@link #retryLater}). */
    private static final long STORE_RETRY_MS = 500;
    private static final long STORE_RETRY_MAX_MS = 30_000;
    /**
     * The wait before a failed database write is tried again: a random share of 0.5 s doubling to 30 s (full jitter,
     * so the writes of many attempts do not all retry at the same moment when the database comes back).
     */
    private static final RetryPolicy STORE_RETRY = RetryPolicy.exponentialDelayWithJitter(STORE_RETRY_MS,
            STORE_RETRY_MAX_MS);

    /**
     * A runner's life: NEW until {@link #start()} succeeds; DIALING while it takes contacts; FINISHING while it
     * checks whether the campaign is finished (an always-active campaign goes back to DIALING); PAUSED once
     * {@link #pause()} was asked, which a decision still in flight (idle check, finish) must respect.
     */
    enum State { NEW, DIALING, FINISHING, PAUSED }

    private final Vertx vertx;
    private final RunnerParts p;
    private final Context context;
    private final WorkerExecutor worker;
    private final RunnerStats stats = new RunnerStats();
    private final Promise<WhyNotDialing> ended = Promise.promise();
    private final ChannelIds channelIds = new ChannelIds();
    private Campaign campaign;
    /** Where the runner is in its life; touched on {@link #context} only. */
    private State state = State.NEW;
    private boolean picking;
    /** Rounds started (picks); an idle decision taken during an older round is stale. */
    private long rounds;
    private int active;
    /** Our calls whose originate request has not left yet (each will take a rate token as it leaves). */
    private int unsent;
    private long timer = -1;
    private long resyncTimer = -1;
    /** The clock instant the last counter read counted up to; null: the next read is a full one. */
    private Instant countedUpTo;
    /** When the last full counter read ended ({@code System.nanoTime}) and the pause it asks before the next. */
    private long lastFullRead;
    private long fullPauseMs = MIN_RESYNC_MS;
    /** The pause between two periodic counter reads ({@code dialing.counterReadInterval}). */
    private long readEveryMs = MIN_RESYNC_MS;
    /** How long the last full counter read took. */
    private long lastFullReadMs;
    /** A {@link #refreshCounters} asked while a read was in flight: a full read follows it. */
    private boolean refreshAsked;
    /** The periodic look for a dead node's attempts of this campaign (failover), -1 when none. */
    private long orphanTimer = -1;
    private AttemptRecovery recovery;
    private Promise<Void> idle;
    private Consumer<RunnerStats> onProgress = s -> { };
    private volatile WhyNotDialing why = new WhyNotDialing.Paused();
    /** Set by {@link #pause()} on the caller's thread: requests not sent yet are withdrawn, not sent. */
    private volatile boolean pausing;
    /**
     * Our originate requests waiting for their rate tokens, oldest first: only the first asks (again when a refusal's
     * retry time comes), so a window with room for a few wakes one timer, not every waiting request.
     */
    private final java.util.ArrayDeque<SendWait> sendQueue = new java.util.ArrayDeque<>();
    /** The first waiter's token is being asked for (a cluster's windows answer later). */
    private boolean tokenAsked;
    private long sendTimer = -1;

    /** A runner on the caller's context ({@link Vertx#getOrCreateContext()}). */
    CampaignRunner(Vertx vertx, RunnerParts parts, WorkerExecutor worker) {
        this(vertx, vertx.getOrCreateContext(), parts, worker);
    }

    /** A runner whose state is touched on {@code context} only (an event-loop context). */
    CampaignRunner(Vertx vertx, Context context, RunnerParts parts, WorkerExecutor worker) {
        this.vertx = vertx;
        this.p = parts;
        this.context = context;
        this.worker = worker;
    }

    /**
     * The runner of one campaign {@code s} alone (the headless run), its state touched on {@code context} only: its
     * parts are built over {@code db} on a worker of {@code vertx} (live counters from the stored counts), with a
     * pacer of the campaign's own limits, dialing through the ready engine of {@code engines} that reaches the trunk
     * with the fewest live calls (trunk states from {@code health}); contacts are claimed for {@code owner}, and
     * those {@code gate} holds are not dialed. The runner's time is {@code clock}: one from {@link #virtualClock},
     * or any other clock read as the node's time.
     */
    public static Future<CampaignRunner> alone(Vertx vertx, Context context, WorkerExecutor worker, Database db,
                                               List<CallEngine> engines, Supplier<TrunkHealth> health, Trunk trunk,
                                               CampaignSettings s, FlowRunner flow, Clock clock, String region,
                                               String owner, DialGate gate) {
        RunnerClock time = clock instanceof RunnerClock r ? r : RunnerClock.real(clock);
        Dialing dialing = Dialing.of(engines, health);
        return vertx.executeBlocking(() -> RunnerWiring.parts(db, dialing, trunk, s, flow, time, region, owner, gate))
                .map(parts -> new CampaignRunner(vertx, context, parts, worker));
    }

    /**
     * A runner's virtual time from {@code start}, {@code scale} times faster than real time (a time-scaled sandbox),
     * skipping idle waits; give it to {@link #alone} and to the services the runner works with.
     */
    public static Clock virtualClock(Instant start, double scale) {
        return RunnerClock.virtual(start, scale);
    }

    /**
     * The pause between two periodic counter reads ({@code dialing.counterReadInterval}, by default
     * {@link #MIN_RESYNC_MS}); set before {@link #start}.
     */
    public CampaignRunner readCountersEvery(long ms) {
        this.readEveryMs = Math.max(1, ms);
        this.fullPauseMs = Math.max(fullPauseMs, readEveryMs);
        return this;
    }

    /** Called (on the runner context) after each ended attempt. */
    CampaignRunner onProgress(Consumer<RunnerStats> listener) {
        this.onProgress = listener;
        return this;
    }

    /**
     * Starts dialing a RUNNING campaign: first recovers attempts left DIALING by a previous process (crash
     * safety), then loops. The future completes once the loop runs.
     */
    public Future<Void> start() {
        Promise<Void> started = Promise.promise();
        context.runOnContext(v -> blocking(() -> p.campaigns().get(p.campaignId()).orElseThrow(
                () -> new IllegalArgumentException("campaign " + p.campaignId() + " does not exist")))
                .compose(c -> {
                    campaign = c;
                    if (c.state() != CampaignState.RUNNING) {
                        return Future.failedFuture(new IllegalStateException("campaign " + c.id() + " is "
                                + c.state() + ", expected RUNNING"));
                    }
                    p.sharing().join(p.campaignId(), p.trunk().name(), p.priority(), p.weight(), this::wake);
                    recovery = new AttemptRecovery(p, worker);
                    return recovery.recover(this::recoveredEnded, this::recoveredDelta);
                })
                .onFailure(e -> p.sharing().leave(p.campaignId()))
                .onSuccess(n -> {
                    state = State.DIALING;
                    LOG.info("campaign {}: runner started ({} live attempts recovered)", p.campaignId(), n);
                    tick();
                    scheduleResync(readEveryMs);
                    if (p.scope().shared()) {
                        scheduleOrphanScan();
                    }
                })
                .<Void>mapEmpty()
                .onComplete(started));
        return started.future();
    }

    private void recoveredEnded(DialTask t, CallRecord rec) {
        stats.callEnded();
        context.runOnContext(x -> attemptFinished(t, rec));
    }

    private void recoveredDelta(int d) {
        if (d > 0) {
            stats.started(p.dialing().activeCalls()); // its end is counted as ended
        }
        activeDelta(d);
    }

    /**
     * Failover: every {@link #ORPHAN_SCAN_MS} the owner looks for attempts and claims of this campaign left by a node
     * that died (its liveness lease expired) and reconciles them through the database and ARI, as at a start.
     */
    private void scheduleOrphanScan() {
        orphanTimer = vertx.setTimer(ORPHAN_SCAN_MS, t -> context.runOnContext(v -> {
            orphanTimer = -1;
            if (state != State.DIALING) {
                return;
            }
            recovery.recoverOrphans(this::recoveredEnded, this::recoveredDelta).onComplete(ar -> {
                if (ar.failed()) {
                    LOG.warn("campaign {}: looking for a dead node's attempts failed: {}", p.campaignId(),
                            ar.cause().toString());
                } else if (ar.result() > 0) {
                    LOG.info("campaign {}: took over {} attempt(s) of a node that is gone", p.campaignId(),
                            ar.result());
                }
                if (state == State.DIALING) {
                    scheduleOrphanScan();
                }
            });
        }));
    }

    /**
     * Completes with the final reason (finished) when the campaign has no open contact left, rendered as
     * {@link #whyNotJson()} renders it.
     */
    public Future<JsonObject> finished() {
        return ended.future().map(WhyNotDialing::toJson);
    }

    /** Why the campaign is not dialing right now (or the last reason it had). */
    WhyNotDialing whyNot() {
        return why;
    }

    /**
     * Why the campaign is not dialing right now (or the last reason it had): {@code {code, message, until?}}, e.g.
     * {@code {"code": "line_limit", "message": "line limit 30/30 on trunk t1"}}.
     */
    public JsonObject whyNotJson() {
        return why.toJson();
    }

    /**
     * Why {@code campaign} is not dialing from its life-cycle state alone (draft, scheduled, paused, finished,
     * archived), rendered as {@link #whyNotJson()}; null when it is RUNNING.
     */
    public static JsonObject whyNotJson(Campaign campaign) {
        return WhyNotDialing.fromState(campaign).map(WhyNotDialing::toJson).orElse(null);
    }

    /** The campaign's live contact counters (kept by its scheduler). */
    public io.outdial.dialer.contact.ContactCounts counters() {
        return p.scheduler().counters();
    }

    /** Attempt counters since the runner started. */
    RunnerStats stats() {
        return stats;
    }

    /**
     * The runner's attempt counters since it started, as the API shows them: {@code liveCalls} (originated, not
     * ended), {@code attemptsStarted}, {@code attemptsEnded} (final outcome stored), {@code contactsClosed},
     * {@code peakLiveCalls} (the most calls live in the engine seen at an originate) and {@code outcomes} (attempts
     * per outcome name, by name).
     */
    public JsonObject statsJson() {
        return new JsonObject().put("liveCalls", stats.live()).put("attemptsStarted", stats.started())
            .put("attemptsEnded", stats.ended()).put("contactsClosed", stats.closed())
            .put("peakLiveCalls", stats.maxConcurrent()).put("outcomes", new JsonObject(new TreeMap<String, Object>(
                stats.outcomes().entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(),
                    e -> (Object) e.getValue())))));
    }

    /**
     * Stops taking new contacts; the future completes when every live call has ended and its outcome is
     * stored (no attempt is lost). The campaign's stored state is left to the caller.
     */
    public Future<Void> pause() {
        Promise<Void> done = Promise.promise();
        pausing = true; // from now on no originate request of ours leaves (see sendPermit)
        context.runOnContext(v -> {
            state = State.PAUSED;
            cancelTimer();
            pumpSends(); // the requests waiting for their tokens are withdrawn
            if (resyncTimer >= 0) {
                vertx.cancelTimer(resyncTimer);
                resyncTimer = -1;
            }
            if (orphanTimer >= 0) {
                vertx.cancelTimer(orphanTimer);
                orphanTimer = -1;
            }
            why = new WhyNotDialing.Paused();
            if (active == 0 && !picking) {
                done.complete();
            } else if (idle != null) {
                idle.future().onComplete(done); // paused twice: both complete together
            } else {
                idle = done;
            }
        });
        return done.future().onComplete(x -> p.sharing().leave(p.campaignId()));
    }

    /**
     * Re-reads the campaign's counters from the database now and then, so contacts whose retry time came move from
     * planned to available in the live counters (the API, /metrics). Every {@code dialing.counterReadInterval}
     * ({@link #MIN_RESYNC_MS} by default): the contacts that
     * became due since the last read are counted (cheap: a range of the due index) and moved; a full read replaces
     * every counter when the pause since the last one is {@link #RESYNC_FACTOR} times its duration (at least
     * {@link #MIN_RESYNC_MS}, at most {@link #MAX_RESYNC_MS}), or at once after {@link #refreshCounters}. A failed
     * read is followed by a full one after {@link #MIN_RESYNC_MS}.
     */
    private void scheduleResync(long delayMs) {
        resyncTimer = vertx.setTimer(delayMs, t -> context.runOnContext(v -> {
            resyncTimer = -1;
            if (state != State.DIALING) {
                return;
            }
            long t0 = System.nanoTime();
            Instant now = p.clock().instant();
            Instant since = countedUpTo;
            boolean full = fullRead(since, now, (t0 - lastFullRead) / 1_000_000, fullPauseMs);
            Future<Void> read = full
                    ? blocking(() -> p.contacts().counts(p.campaignId(), now)).map(counts -> {
                        p.scheduler().resyncCounters(counts);
                        lastFullReadMs = (System.nanoTime() - t0) / 1_000_000;
                        fullPauseMs = Math.max(readEveryMs, nextResyncMs(true, lastFullReadMs));
                        lastFullRead = System.nanoTime();
                        return null;
                    })
                    : blocking(() -> p.contacts().becameDue(p.campaignId(), since, now)).map(n -> {
                        p.scheduler().countersBecameDue(n);
                        return null;
                    });
            read.onComplete(ar -> {
                if (ar.succeeded()) {
                    countedUpTo = now;
                } else {
                    countedUpTo = null; // the next read is a full one
                    LOG.warn("campaign {}: counters not re-read: {}", p.campaignId(), ar.cause().toString());
                }
                if (state == State.DIALING && refreshAsked) {
                    refreshAsked = false;
                    countedUpTo = null; // a full read, asked while this one was in flight
                    scheduleResync(refreshDelayMs());
                } else if (state == State.DIALING) {
                    scheduleResync(readEveryMs);
                }
            });
        }));
    }

    /**
     * Whether the next counter read is a full one: nothing counted yet (start, {@link #refreshCounters}, a failed
     * read), the clock went back, or {@code pauseMs} passed since the last full read; otherwise only the contacts
     * that became due since {@code countedUpTo} are counted.
     */
    static boolean fullRead(Instant countedUpTo, Instant now, long msSinceFullRead, long pauseMs) {
        return countedUpTo == null || now.isBefore(countedUpTo) || msSinceFullRead >= pauseMs;
    }

    /**
     * The pause before the next full counter read: {@link #RESYNC_FACTOR} times a successful read (at least
     * {@link #MIN_RESYNC_MS}, at most
     * {@link #MAX_RESYNC_MS}); after a failed read (a database outage, a timed-out read) only the minimum, so the
     * counters are right again soon after the database is back.
     */
    static long nextResyncMs(boolean succeeded, long tookMs) {
        return succeeded ? Math.min(MAX_RESYNC_MS, Math.max(MIN_RESYNC_MS, RESYNC_FACTOR * tookMs)) : MIN_RESYNC_MS;
    }

    /**
     * Re-reads the live counters from the database now (after contacts of the running campaign were imported,
     * added, edited or deleted on any node): a full read at once, or right after the read in flight. Many asks in a
     * row are coalesced, and a full read follows the previous one no sooner than
     * {@link #REFRESH_FACTOR} times its duration, so the reads asked take at most a tenth of a worker.
     */
    public void refreshCounters() {
        context.runOnContext(v -> {
            if (state != State.DIALING) {
                return;
            }
            if (resyncTimer >= 0) {
                vertx.cancelTimer(resyncTimer);
                countedUpTo = null; // a full read
                scheduleResync(refreshDelayMs());
            } else {
                refreshAsked = true; // a read is in flight
            }
        });
    }

    /** The wait before an asked full read: none, unless the last full read ended less than 10 of its durations ago. */
    private long refreshDelayMs() {
        long sinceMs = (System.nanoTime() - lastFullRead) / 1_000_000;
        return Math.max(1, REFRESH_FACTOR * lastFullReadMs - sinceMs);
    }

    /** Runs a round now (e.g. after a test moved the clock or a limit changed). */
    public void wake() {
        context.runOnContext(v -> tick());
    }

    private void tick() {
        if (state != State.DIALING || picking) {
            return;
        }
        cancelTimer();
        if (p.dialing().pick(p.trunk().name()).isEmpty()) {
            why = p.dialing().unavailable(p.trunk().name());
            timer = vertx.setTimer(TELEPHONY_RETRY_MS, t -> {
                timer = -1;
                tick();
            });
            return;
        }
        // Rate limits are held where the originate requests leave (a token per request, taken as it is sent), so
        // only as many contacts are picked as the windows have room for now, less our calls not sent yet: a
        // rate-limited campaign waits in a timer, not in picks and hand-backs. Up to one more window's worth may be
        // picked ahead (its attempt rows written while the first are sent); those wait in memory for their tokens.
        RateLimiter.Room room = p.pacer().rateRoom(p.campaignId(), p.trunk().name(), p.clock().instant());
        long free = room.free() == 0 ? 0 : 2L * room.free() - unsent;
        if (free <= 0) {
            if (room.free() == 0) {
                why = new WhyNotDialing.RateLimit(room.blockedBy().orElse(LimitKey.campaign(p.campaignId())),
                        room.retryAt());
                schedule(room.retryAt());
            } else {
                safetyTimer(); // our calls waiting for their tokens wake us as each one is sent
            }
            return;
        }
        int want = (int) Math.min(p.batch(), free);
        if (unsent > 0 && 2L * want < Math.min(p.batch(), room.free())) {
            // a few tokens free while our earlier calls are still being sent: wait for them (each one sent wakes us)
            // and pick a fuller batch, rather than one database round trip per contact
            safetyTimer();
            return;
        }
        int n = p.sharing().claim(p.campaignId(), want);
        if (n <= 0) {
            // a line freed by any campaign (or our own call end) wakes us when it is our turn
            why = new WhyNotDialing.LineLimit(p.sharing().blockedBy(p.campaignId())
                    .orElseGet(() -> p.pacer().usage(LimitKey.campaign(p.campaignId()))));
            safetyTimer();
            return;
        }
        picking = true;
        rounds++;
        blocking(() -> p.scheduler().pick(n)).onComplete(ar -> {
            if (ar.failed()) {
                picking = false;
                p.sharing().settle(p.campaignId(), n, true);
                LOG.error("campaign {}: pick failed: {}", p.campaignId(), ar.cause().toString(), ar.cause());
                if (ar.cause() instanceof PickFailed) {
                    Instant now = p.clock().instant();
                    ((PickFailed) ar.cause()).stuck().forEach(id -> giveBack(id, now, 0));
                }
                schedule(p.clock().instant().plusMillis(TELEPHONY_RETRY_MS));
                checkIdle();
            } else {
                onPick(ar.result(), n);
            }
        });
    }

    /** The round's contacts are picked: each gets its line lease, then is dialed. {@code picking} until done. */
    private void onPick(Pick pick, int claimed) {
        if (state != State.DIALING) {
            picking = false;
            pick.tasks().forEach(t -> giveBack(t, p.clock().instant()));
            p.sharing().settle(p.campaignId(), claimed, false);
            checkIdle();
            return;
        }
        if (pick.tasks().isEmpty()) {
            picking = false;
            p.sharing().settle(p.campaignId(), claimed, false);
            decideIdle(pick.calendarOpensAt().orElse(null));
            checkIdle();
            return;
        }
        leaseFrom(pick.tasks(), 0, claimed);
    }

    /**
     * Takes the line lease of {@code tasks[i]} and dials it, then the next one. A lease is asked without blocking
     * the runner's event loop (a cluster's leases answer after a round trip per level); the round stays
     * {@code picking} meanwhile, so a pause waits for it and no other round starts. A refusal hands the rest back.
     */
    private void leaseFrom(List<DialTask> tasks, int i, int claimed) {
        if (i == tasks.size()) {
            endRound(claimed, tasks.size() >= claimed, true);
            return;
        }
        Future.fromCompletionStage(p.pacer().lease(p.campaignId(), p.trunk().name()), context).onComplete(ar -> {
            Pacer.Result r = ar.succeeded() ? ar.result() : null;
            if (r instanceof Pacer.Started started && state == State.DIALING) {
                dial(tasks.get(i), started.lease());
                leaseFrom(tasks, i + 1, claimed);
                return;
            }
            Instant now = p.clock().instant();
            for (DialTask t : tasks.subList(i, tasks.size())) {
                giveBack(t, now);
            }
            if (r instanceof Pacer.Started started) {
                p.pacer().finished(started.lease()); // paused while the lease was asked for
            } else if (r instanceof Pacer.LineLimited limited && state == State.DIALING) {
                why = new WhyNotDialing.LineLimit(limited.usage());
            } else if (ar.failed()) {
                LOG.warn("campaign {}: taking a line lease failed: {}", p.campaignId(), ar.cause().toString());
            }
            endRound(claimed, false, false);
            if (state == State.DIALING) {
                if (ar.failed()) {
                    schedule(p.clock().instant().plusMillis(TELEPHONY_RETRY_MS));
                } else {
                    safetyTimer();
                }
            }
        });
    }

    /** The round's leases are settled: the lines not used go to the other campaigns; a full round ticks again. */
    private void endRound(int claimed, boolean usedAll, boolean again) {
        picking = false;
        // a short pick means no more due contacts now: the lines we do not use go to the other campaigns
        p.sharing().settle(p.campaignId(), claimed, usedAll);
        if (again) {
            context.runOnContext(v -> tick());
        }
        checkIdle();
    }

    private void decideIdle(Instant calendarOpensAt) {
        long round = rounds;
        blocking(() -> Map.entry(p.contacts().hasOpenContacts(p.campaignId()),
                Optional.ofNullable(p.contacts().nextDueAt(p.campaignId()).orElse(null))))
                .onSuccess(e -> {
                    if (state != State.DIALING || picking || round != rounds) {
                        return; // paused, or a newer round (a wake-up after an import, a call end) decides instead
                    }
                    Optional<Instant> next = e.getValue();
                    if (!e.getKey() && active == 0) {
                        finish();
                    } else if (next.isPresent()) {
                        boolean calendar = calendarOpensAt != null && !next.get().isBefore(calendarOpensAt);
                        why = calendar ? new WhyNotDialing.OutsideCalendar(next.get())
                                : new WhyNotDialing.NoDueContacts(next.get());
                        schedule(next.get());
                    } else {
                        why = new WhyNotDialing.NoDueContacts(null); // only live calls left: their ends wake us
                        if (active == 0) {
                            // open contacts but none waiting and no live call: a hand-back still being written;
                            // look again soon rather than sleep until a wake-up that may never come
                            safetyTimer();
                        }
                    }
                })
                .onFailure(e -> {
                    LOG.error("campaign {}: idle check failed: {}", p.campaignId(), e.toString(), e);
                    schedule(p.clock().instant().plusMillis(TELEPHONY_RETRY_MS));
                });
    }

    private void finish() {
        state = State.FINISHING;
        p.sharing().leave(p.campaignId());
        blocking(() -> {
            // the final counters (the API, /metrics after the runner is gone) are the store's, not the live ones
            try {
                p.scheduler().resyncCounters(p.contacts().counts(p.campaignId(), p.clock().instant()));
            } catch (RuntimeException e) {
                LOG.warn("campaign {}: final counters not re-read: {}", p.campaignId(), e.toString());
            }
            Campaign now = p.campaigns().get(p.campaignId()).orElse(campaign);
            if (now.alwaysActive() || now.state() != CampaignState.RUNNING) {
                return now;
            }
            return p.campaigns().moveTo(now, CampaignState.FINISHED, "no contact left to dial").orElse(now);
        }).onComplete(ar -> {
            Campaign c = ar.succeeded() ? ar.result() : campaign;
            if (c.alwaysActive()) {
                if (state == State.PAUSED) {
                    return; // paused while this was read: the pause owns the runner now
                }
                // the row may have been read in a short pause that the reconcile loop never saw (paused and resumed
                // between two of its reads): the runner goes on, and the reconcile loop pauses it if the campaign
                // really left RUNNING. Returning here would leave a RUNNING campaign that nobody dials.
                state = State.DIALING;
                p.sharing().join(p.campaignId(), p.trunk().name(), p.priority(), p.weight(), this::wake);
                why = new WhyNotDialing.NoDueContacts(null);
                schedule(p.clock().instant().plusSeconds(60));
                if (resyncTimer < 0) {
                    scheduleResync(readEveryMs);
                }
                return;
            }
            why = new WhyNotDialing.Finished(CampaignState.FINISHED);
            LOG.info("campaign {}: finished ({})", p.campaignId(), stats);
            ended.tryComplete(why);
        });
    }

    private void dial(DialTask task, Lease lease) {
        int attemptNo = task.contact().attempts().total() + 1;
        String attemptId = p.campaignId() + "-" + task.contact().id() + "-" + attemptNo;
        String channelId = channelIds.next(task.contact().id());
        CallRequest req = new CallRequest(attemptId, p.campaignId(), Long.toString(task.contact().id()),
                task.e164(), task.contact().fields(), p.trunk(), attemptNo, channelId, p.amd(),
                p.machinePolicy(), p.flow(), Map.of());
        Optional<CallEngine> picked = p.dialing().pick(p.trunk().name());
        if (picked.isEmpty()) {
            p.pacer().finished(lease);
            why = p.dialing().unavailable(p.trunk().name());
            giveBack(task, p.clock().instant());
            return;
        }
        CallEngine engine = picked.get();
        activeDelta(1);
        unsent++;
        AtomicBoolean sent = new AtomicBoolean();
        // write before act: the stop-list re-check and the attempt row (DIALING) commit together before the originate
        p.records().saveIf(c -> p.scheduler().beforeOriginate(c, task), dialingRecord(req, engine)).onComplete(ar -> {
            if (ar.failed() || !ar.result()) {
                unsent--;
                p.pacer().finished(lease);
                if (ar.failed()) {
                    LOG.error("campaign {} contact {}: attempt row not written, not dialed: {}", p.campaignId(),
                            task.contact().id(), ar.cause().toString());
                    giveBack(task, p.clock().instant().plusSeconds(60));
                }
                activeDelta(-1);
                tick();
                return;
            }
            stats.started(p.dialing().activeCalls());
            engine.originate(req, sendPermit(task, sent)).onComplete(done -> {
                // the call has ended (hangup, StasisEnd, failed originate): its line is free now, on the engine's
                // context, whatever the runner's context and the outcome's storage are busy with
                p.pacer().finished(lease);
                stats.callEnded();
                context.runOnContext(v -> {
                    if (sent.compareAndSet(false, true)) {
                        unsent--; // ended before its request left (refused at once, cancelled)
                    }
                    attemptFinished(task, done.result());
                });
            });
        });
    }

    /**
     * The rate token of one originate, taken when its request leaves (on the engine's event loop, past the ARI
     * request gate): the campaign's, trunk's and global per-second and per-minute limits then hold for the requests
     * as the carrier receives them, in every sliding window. The campaign's requests take their tokens in the order
     * they reached the gate ({@link #pumpSends}); refused, the first waits until the window has room. A contact whose
     * calling window closed while it waited, or whose campaign was paused meanwhile, is withdrawn: handed back, no
     * attempt counted.
     */
    private OriginatePermit sendPermit(DialTask task, AtomicBoolean sent) {
        return new OriginatePermit() {
            private volatile java.time.Instant granted;

            @Override
            public java.util.concurrent.CompletionStage<Long> acquire(java.util.concurrent.Executor caller) {
                if (pausing) { // handed back, no attempt counted
                    return java.util.concurrent.CompletableFuture.completedFuture(OriginatePermit.WITHDRAW);
                }
                // in line behind our earlier requests (the calling window is checked when its turn comes)
                java.util.concurrent.CompletableFuture<Long> answer = new java.util.concurrent.CompletableFuture<>();
                context.runOnContext(v -> {
                    sendQueue.addLast(new SendWait(task, this::answered, answer));
                    pumpSends();
                });
                return answer.thenApplyAsync(this::onTime, caller);
            }

            /**
             * A grant as it reaches the event loop that sends the request: the windows counted its token at the
             * grant's instant, so a request sent later than {@link #LATE_GRANT_MS} after it (a thread descheduled on
             * a busy machine, a slow hop) could land in a later window than the one that counted it. Such a token is
             * given back unused and asked for again, so no request leaves later than that after its token.
             */
            private long onTime(long wait) {
                java.time.Instant at = granted;
                if (wait != OriginatePermit.GO || at == null
                        || java.time.Duration.between(at, p.clock().instant()).toMillis() <= LATE_GRANT_MS) {
                    return wait;
                }
                granted = null;
                p.pacer().giveBack(p.campaignId(), p.trunk().name(), at);
                LOG.debug("campaign {} contact {}: rate token granted at {} reached the send late; asked again",
                        p.campaignId(), task.contact().id(), at);
                return 1; // asked again in a moment, in line behind the requests that queued meanwhile
            }

            /** A granted token, or the answer that came after a pause (the queue asks again after a refusal). */
            private long answered(RateLimiter.Decision d) {
                if (pausing) {
                    return OriginatePermit.WITHDRAW; // paused while its token was asked for (a token left unused)
                }
                granted = d.retryAt(); // a grant's instant: the time the windows counted this token at
                if (sent.compareAndSet(false, true)) {
                    context.runOnContext(v -> {
                        unsent--;
                        tick();
                    });
                }
                return OriginatePermit.GO;
            }

            @Override
            public java.time.Instant grantedAt() {
                return granted;
            }
        };
    }

    /** An originate request waiting in {@link #sendQueue}: its answer is given once its token is granted. */
    private record SendWait(DialTask task, java.util.function.Function<RateLimiter.Decision, Long> answered,
                            java.util.concurrent.CompletableFuture<Long> answer) { }

    /**
     * Asks the tokens of the waiting requests in order, on our context: granted ones leave, the first refusal waits
     * in one timer until its retry time. Withdraws every waiter once paused, and each whose calling window closed.
     */
    private void pumpSends() {
        if (pausing) {
            if (sendTimer >= 0) {
                vertx.cancelTimer(sendTimer);
                sendTimer = -1;
            }
            // the first one's answer, when asked for, is withdrawn as it comes (see answered)
            while (sendQueue.size() > (tokenAsked ? 1 : 0)) {
                sendQueue.pollLast().answer().complete(OriginatePermit.WITHDRAW);
            }
            return;
        }
        while (!tokenAsked && sendTimer < 0 && !sendQueue.isEmpty()) {
            SendWait w = sendQueue.peekFirst();
            Instant now = p.clock().instant();
            if (!p.scheduler().inCallingWindow(w.task(), now)) {
                sendQueue.pollFirst();
                w.answer().complete(OriginatePermit.WITHDRAW); // waited past the window's end: handed back
                continue;
            }
            java.util.concurrent.CompletableFuture<RateLimiter.Decision> asked = p.pacer().token(p.campaignId(),
                    p.trunk().name(), now, work -> context.runOnContext(v -> work.run())).toCompletableFuture();
            if (!asked.isDone()) {
                tokenAsked = true;
                asked.whenComplete((d, e) -> context.runOnContext(v -> {
                    tokenAsked = false;
                    tokenAnswered(w, d, e);
                    pumpSends();
                }));
                return;
            }
            RateLimiter.Decision d = null;
            Throwable e = null;
            try {
                d = asked.join();
            } catch (java.util.concurrent.CompletionException ex) {
                e = ex.getCause();
            }
            tokenAnswered(w, d, e);
        }
    }

    /** The first waiter's token answered: it leaves when granted; when refused, it waits for the retry time. */
    private void tokenAnswered(SendWait w, RateLimiter.Decision d, Throwable e) {
        if (e != null) {
            sendQueue.remove(w);
            w.answer().completeExceptionally(e);
        } else if (d.granted() || pausing) {
            sendQueue.remove(w);
            w.answer().complete(w.answered().apply(d));
        } else {
            sendTimer = vertx.setTimer(Math.max(1, p.clock().realDelayMillis(d.retryAt())), t -> {
                sendTimer = -1;
                pumpSends();
            });
        }
    }

    private void attemptFinished(DialTask task, CallRecord rec) {
        if (rec.outcome() != null && rec.outcome().kind() == OutcomeKind.NOT_PLACED) {
            notPlaced(task, rec, 0);
            return;
        }
        storeOutcome(task, rec, rec.endAt() != null ? rec.endAt() : p.clock().instant(), 0);
    }

    /**
     * Asterisk refused the originate (shutting down): no call left, so no attempt is counted. The record is closed
     * (recovery must not find it DIALING) and the contact waits again; the server is not picked until healthy.
     */
    private void notPlaced(DialTask task, CallRecord rec, int failures) {
        if (failures == 0) {
            stats.notPlaced(); // its start and end were counted; it is no attempt
        }
        Instant at = p.clock().instant();
        p.records().save(rec, c -> p.scheduler().giveBack(c, task, at)).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().run();
            }
            if (ar.failed()) {
                long delay = retryLater(failures, () -> notPlaced(task, rec, failures + 1));
                LOG.error("campaign {} attempt {}: handing back a contact Asterisk refused failed (try {}), again in "
                        + "{} ms: {}", p.campaignId(), rec.attemptId(), failures + 1, delay, ar.cause().toString());
                return;
            }
            LOG.info("campaign {} contact {}: not placed ({}); waiting again, no attempt counted", p.campaignId(),
                    task.contact().id(), rec.outcome().detail());
            activeDelta(-1);
            tick();
        });
    }

    /**
     * Stores the attempt's outcome in one transaction through the call-record writer ({@link AttemptOutcomeWrite}):
     * the final call record, the contact's result and a flow's unsubscribe commit together or not at all. After a
     * database error the whole is retried with backoff (it is idempotent: the record is keyed by attempt id, the
     * result applies only to a contact still DIALING, the stop-list add is a no-op the second time); the attempt
     * stays counted as live meanwhile, so a pause waits for it and neither the outcome nor the contact is lost.
     */
    private void storeOutcome(DialTask task, CallRecord rec, Instant end, int failures) {
        OutcomeMapping.Mapped m = OutcomeMapping.map(rec.outcome(), OutcomeMapping.hasGoals(p.flow()));
        AttemptOutcomeWrite.store(p.records(), p.scheduler(), p.stopList(), task, rec, m, end).map(done -> {
            done.afterCommit().run();
            return done.decision();
        }).onComplete(ar -> {
            if (ar.failed()) {
                long delay = retryLater(failures, () -> storeOutcome(task, rec, end, failures + 1));
                LOG.error("campaign {} attempt {}: storing the outcome {} failed (try {}), again in {} ms: {}",
                        p.campaignId(), rec.attemptId(), m.outcome(), failures + 1, delay, ar.cause().toString(),
                        ar.cause());
                return;
            }
            stats.ended(m.outcome(), ar.result().closedWith().isPresent());
            activeDelta(-1);
            try {
                onProgress.accept(stats);
            } catch (RuntimeException e) {
                LOG.warn("campaign {}: progress listener failed: {}", p.campaignId(), e.toString());
            }
            tick();
        });
    }

    private void activeDelta(int d) {
        active += d;
        checkIdle();
    }

    private void checkIdle() {
        if (idle != null && active == 0 && !picking) {
            Promise<Void> i = idle;
            idle = null;
            i.complete();
        }
    }

    private void giveBack(DialTask t, Instant at) {
        giveBack(t.contact().id(), at, 0);
    }

    /**
     * Hands a claimed contact that was not dialed back to the waiting ones; retried with backoff while the database
     * fails, or it would stay DIALING with no call behind it until the next restart (and the campaign could never
     * finish).
     */
    private void giveBack(long contactId, Instant at, int failures) {
        blocking(() -> {
            p.scheduler().giveBack(contactId, at);
            return null;
        }).onFailure(e -> {
            long delay = retryLater(failures, () -> giveBack(contactId, at, failures + 1));
            LOG.error("campaign {} contact {}: give back failed (try {}), again in {} ms: {}", p.campaignId(),
                    contactId, failures + 1, delay, e.toString());
        });
    }

    /**
     * Runs {@code again} on the runner context after a backoff for a database write that failed {@code failures}
     * times before this one (0.5 s doubling to 30 s); returns the delay in ms.
     */
    private long retryLater(int failures, Runnable again) {
        long delay = 1 + STORE_RETRY.delay(null, Math.min(failures, 16));
        vertx.setTimer(delay, t -> context.runOnContext(v -> again.run()));
        return delay;
    }

    private void schedule(Instant at) {
        cancelTimer();
        if (state != State.DIALING) {
            return;
        }
        if (p.clock().jumpsWhenIdle() && active == 0 && !picking) {
            p.clock().jumpTo(at);
            context.runOnContext(v -> tick());
            return;
        }
        timer = vertx.setTimer(Math.min(MAX_WAIT_MS, p.clock().realDelayMillis(at)), t -> {
            timer = -1;
            tick();
        });
    }

    /** A real-time retry in case no call end or release wakes us (it only costs a round). */
    private void safetyTimer() {
        cancelTimer();
        timer = vertx.setTimer(MAX_WAIT_MS, t -> {
            timer = -1;
            tick();
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private CallRecord dialingRecord(CallRequest r, CallEngine engine) {
        return new CallRecord(r.attemptId(), r.campaignId(), r.contactId(), r.phone(), r.trunk().name(), null,
                engine.server().config().name(), r.channelId(), CallState.DIALING, null, null,
                null, null, null, null, null, "", List.of()); // no originate time: not sent yet (see the engine)
    }

    private <T> Future<T> blocking(Callable<T> work) {
        return worker.executeBlocking(work, false);
    }
}

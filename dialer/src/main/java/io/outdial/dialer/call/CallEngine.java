package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.AriModel;
import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.OriginatePermit;
import io.outdial.dialer.ari.OriginateRequest;
import io.outdial.dialer.trunk.Trunk;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Places call attempts on one Asterisk server and turns their ARI events into outcomes. All call state lives
 * on the server's context: events are routed by channel id to small per-call handlers, with no thread per
 * call. Channel ids are pre-assigned, so events that beat the originate reply are harmless.
 *
 * <p>Use: {@code new CallEngine(vertx, server, resolver, trunks, clock, listener)}, then
 * {@link #originate(CallRequest)} once {@code server.ready()}. After a websocket drop the engine reconciles
 * with {@code GET /channels} by itself.
 */
public final class CallEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CallEngine.class);
    /** Extra time over the ring timeout before the watchdog asks Asterisk whether a silent call still lives. */
    private static final long WATCHDOG_SLACK_MS = 15_000;
    /** How often a failed reconcile after a reconnect is tried again. */
    private static final int RECONCILE_TRIES = 5;
    /** How long an AMD call found gone at subscription waits for its final events before it ends LOST. */
    static final long EARLY_END_GRACE_MS = 1_000;

    private final Vertx vertx;
    private final AriServer server;
    private final PromptResolver resolver;
    private final Function<String, Trunk> trunks;
    private final Clock clock;
    private final CallListener listener;
    private final Context context;
    private final Map<String, CallHandler> routes = new HashMap<>();
    private volatile int active;
    private volatile FlowTimers flowTimers;

    /**
     * An engine for one server.
     *
     * @param trunks   looks a trunk up by name (for transfers to another trunk); may return null
     * @param listener told about state changes and final records (on the engine context)
     */
    public CallEngine(Vertx vertx, AriServer server, PromptResolver resolver, Function<String, Trunk> trunks,
                      Clock clock, CallListener listener) {
        this.vertx = vertx;
        this.server = server;
        this.resolver = resolver;
        this.trunks = trunks;
        this.clock = clock;
        this.listener = listener == null ? CallListener.NONE : listener;
        this.context = server.context();
        this.flowTimers = FlowTimers.realTime(vertx);
        server.onEvent(this::onEvent);
        server.onReconnected(() -> reconcileAfterReconnect(1));
    }

    /**
     * Places a call. The returned future completes (on the engine context) with the final record when the
     * attempt has ended, whatever the outcome; it never fails. An originate refused by ARI ends FAILED with the
     * reason; one tried while the server is not ready, refused because Asterisk is shutting down (503), or that
     * never got a connection to Asterisk, ends NOT_PLACED: nothing was dialled.
     */
    public Future<CallRecord> originate(CallRequest request) {
        return originate(request, OriginatePermit.ALWAYS);
    }

    /**
     * As {@link #originate(CallRequest)}, the originate request leaving only when {@code permit} says go (a rate
     * limit held at send time). The originate time and the watchdog start when it leaves; an attempt that ends
     * while it waits (a hangup, the server going down) cancels it.
     */
    public Future<CallRecord> originate(CallRequest request, OriginatePermit permit) {
        Promise<CallRecord> result = Promise.promise();
        context.runOnContext(v -> start(request, permit).future().onComplete(result));
        return result.future();
    }

    private Promise<CallRecord> start(CallRequest req, OriginatePermit permit) {
        Trunk trunk = req.trunk();
        String callerId = trunk.callerIdFor(req.contactId() == null ? req.phone() : req.contactId(),
                req.attemptNumber());
        String endpoint;
        try {
            endpoint = trunk.endpoint(req.phone());
        } catch (IllegalArgumentException e) {
            return failAtOnce(req, null, callerId, e.getMessage());
        }
        if (routes.containsKey(req.channelId())) {
            return failAtOnce(req, endpoint, callerId, "channel id " + req.channelId() + " is already in use");
        }
        if (!server.ready()) {
            // nothing is sent: no call and no attempt (the runner hands the contact back), as for a refused originate
            return endAtOnce(req, endpoint, callerId, "ARI server " + server.config().name() + " is not ready ("
                    + server.health().state() + ": " + server.health().detail() + ")", true);
        }
        CallAttempt attempt = new CallAttempt(req, endpoint, callerId, server.config().name(), clock);
        CallHandler handler = new CallHandler(this, attempt);
        route(req.channelId(), handler);
        active++;
        OriginateRequest o = originateRequest(req, endpoint, callerId, trunk);
        if (permit == OriginatePermit.ALWAYS) {
            attempt.originateSent();
        }
        // a call waiting for its permit is dialing with no originate time yet: the stored send time marks that the
        // request left (a restart tells "never sent" from "sent, then gone" by it)
        notifyOriginate(attempt);
        LOG.debug("call {} campaign {} contact {} channel {}: originate {} callerId {}{}", req.attemptId(),
                req.campaignId(), req.contactId(), req.channelId(), endpoint, callerId, req.amdEnabled() ? " AMD" : "");
        long watchdogMs = trunk.originateTimeout().toMillis() + WATCHDOG_SLACK_MS;
        java.util.concurrent.atomic.AtomicBoolean withdrawn = new java.util.concurrent.atomic.AtomicBoolean();
        OriginatePermit onSend = permit == OriginatePermit.ALWAYS ? permit : new OriginatePermit() {
            @Override
            public java.util.concurrent.CompletionStage<Long> acquire(java.util.concurrent.Executor caller) {
                if (handler.completed()) {
                    return java.util.concurrent.CompletableFuture.completedFuture(OriginatePermit.CANCEL);
                }
                // ended while its token was asked for: not sent (a token taken and not used only leaves room unused)
                return permit.acquire(caller).thenApply(wait -> wait == OriginatePermit.GO && handler.completed()
                    ? OriginatePermit.CANCEL : answered(wait));
            }

            private long answered(long wait) {
                if (wait == OriginatePermit.GO && !server.ready()) {
                    wait = OriginatePermit.WITHDRAW; // Asterisk went away while it waited: nothing sent, no attempt
                }
                if (wait == OriginatePermit.WITHDRAW) {
                    withdrawn.set(true);
                    return wait;
                }
                if (wait == OriginatePermit.GO) {
                    java.time.Instant granted = permit.grantedAt();
                    if (granted != null) {
                        attempt.originateSent(granted);
                    } else {
                        attempt.originateSent();
                    }
                    notifyOriginate(attempt); // its send time handed to the writer before the request goes out
                    armWatchdog(handler, watchdogMs);
                }
                return wait;
            }
        };
        Future<Void> sent = rest().originate(o, onSend).mapEmpty();
        if (req.amdEnabled()) {
            // An originate into the dialer-amd context is not subscribed to its channel until this request. Its
            // early end (busy at once) reaches us anyway when the app is subscribed to the trunk's endpoint (trunks
            // are by default, endpointEvents: Asterisk forwards every channel's events to its endpoint's
            // subscribers). When the channel is already gone here and no final event came, it is closed promptly,
            // not by the watchdog.
            sent = sent.compose(x -> rest().subscribe(app(), "channel:" + req.channelId()).recover(e -> {
                if (e instanceof AriException && (((AriException) e).status() == 422
                        || ((AriException) e).notFound())) {
                    closeIfGone(handler);
                } else {
                    LOG.warn("call {} channel {}: AMD subscription failed: {}", req.attemptId(), req.channelId(),
                            e.getMessage());
                }
                return Future.succeededFuture();
            }));
        }
        sent.onFailure(e -> {
            if (!handler.completed() && withdrawn.get()) {
                // nothing left the dialer: no call, no attempt
                handler.endNotPlaced("withdrawn before the originate was sent (calling window closed, campaign paused or "
                        + "Asterisk gone)");
                return;
            }
            if (!handler.completed() && (!attempt.sendStamped() || neverConnected(e))) {
                // the permit never said go (the connection is held before it asks; no send time was stamped), or
                // no connection to Asterisk was made: nothing was dialled
                handler.endNotPlaced("not sent: " + e.getMessage());
                return;
            }
            if (!handler.completed() && e instanceof AriException && ((AriException) e).status() == 503) {
                // "Shutdown in progress": Asterisk takes no call. Not an attempt; stop sending calls its way.
                String reason = "Asterisk refused the originate: " + e.getMessage();
                server.unavailable(reason);
                handler.endNotPlaced(reason);
                return;
            }
            if (!handler.completed()) {
                String reason = e instanceof AriException ? e.getMessage() : "originate failed: " + e;
                if (e instanceof AriException && ((AriException) e).status() == 0) {
                    // no reply: make sure no orphan call rings on
                    rest().hangup(req.channelId(), "normal").onFailure(h -> LOG.debug("call {} channel {}: "
                            + "cleanup hangup: {}", req.attemptId(), req.channelId(), h.getMessage()));
                }
                handler.endWithoutEvent(false, reason);
            }
        });
        if (permit == OriginatePermit.ALWAYS) {
            armWatchdog(handler, watchdogMs);
        }
        return handler.done();
    }

    private void notifyOriginate(CallAttempt attempt) {
        try {
            listener.onStateChange(attempt.snapshot());
        } catch (RuntimeException e) {
            LOG.error("call {} channel {}: call listener failed on originate: {}", attempt.request().attemptId(),
                    attempt.request().channelId(), e.toString(), e);
        }
    }

    /** A failure to open a connection to Asterisk: the request never left the dialer. */
    static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private OriginateRequest originateRequest(CallRequest req, String endpoint, String callerId, Trunk trunk) {
        Map<String, String> vars = new HashMap<>(req.variables());
        vars.put("OUTDIAL_ATTEMPT", req.attemptId());
        vars.put("OUTDIAL_APP", app()); // the dialer-amd context enters Stasis(${OUTDIAL_APP},...)
        if (req.amdEnabled()) {
            return OriginateRequest.toContext(endpoint, req.channelId(), "dialer-amd", "s", 1,
                    trunk.originateTimeout(), callerId, vars);
        }
        return OriginateRequest.toApp(endpoint, req.channelId(), app(), "attempt=" + req.attemptId(),
                trunk.originateTimeout(), callerId, vars);
    }

    private Promise<CallRecord> failAtOnce(CallRequest req, String endpoint, String callerId, String reason) {
        return endAtOnce(req, endpoint, callerId, reason, false);
    }

    /** Ends an attempt before anything is sent: FAILED, or NOT_PLACED when {@code notPlaced}. */
    private Promise<CallRecord> endAtOnce(CallRequest req, String endpoint, String callerId, String reason,
                                          boolean notPlaced) {
        CallAttempt attempt = new CallAttempt(req, endpoint, callerId, server.config().name(), clock);
        CallHandler handler = new CallHandler(this, attempt);
        active++;
        LOG.warn("call {} channel {}: not originated: {}", req.attemptId(), req.channelId(), reason);
        if (notPlaced) {
            handler.endNotPlaced(reason);
        } else {
            handler.endWithoutEvent(false, reason);
        }
        return handler.done();
    }

    /**
     * Takes over an attempt that was live when this node stopped (crash recovery, ARCHITECTURE §3 rule 1).
     * {@code request} must carry the stored channel id. Asterisk is asked about the channel:
     * <ul>
     *   <li>gone: the attempt ends LOST at once (the rules retry it later, never at once); when its stored record
     *       has no originate time (written before the send and never marked sent), the request never left: it
     *       ends NOT_PLACED, no attempt counted;</li>
     *   <li>still dialing: it is re-attached and ends with its real outcome (the flow runs if it is answered);</li>
     *   <li>answered and in Stasis: its flow state died with the old process, so it is hung up and ends
     *       LOST, answer time kept, without a flow result ("flow interrupted by a dialer restart").</li>
     * </ul>
     * The future completes with the final record, like {@link #originate}.
     */
    public Future<CallRecord> recover(CallRequest request, CallRecord stored) {
        Promise<CallRecord> result = Promise.promise();
        context.runOnContext(v -> {
            String endpoint;
            try {
                endpoint = request.trunk().endpoint(request.phone());
            } catch (IllegalArgumentException e) {
                endpoint = null;
            }
            CallAttempt attempt = new CallAttempt(request, endpoint, stored.callerId(), server.config().name(), clock);
            attempt.restore(stored);
            CallHandler handler = new CallHandler(this, attempt);
            if (routes.putIfAbsent(request.channelId(), handler) != null) {
                result.complete(stored);
                return;
            }
            active++;
            handler.done().future().onComplete(result);
            rest().channel(request.channelId()).onComplete(ar -> {
                if (ar.failed()) {
                    boolean gone = ar.cause() instanceof AriException && ((AriException) ar.cause()).notFound();
                    if (gone && stored.originateAt() == null) {
                        // stored before the send, never marked sent, and no channel: the request never left
                        handler.endNotPlaced("originate never sent before the dialer stopped (no channel on "
                                + server.config().name() + ")");
                        return;
                    }
                    handler.endWithoutEvent(true, gone ? "channel gone after a dialer restart"
                            : "channel state unknown after a dialer restart: " + ar.cause().getMessage());
                    return;
                }
                AriModel.Channel ch = ar.result();
                if (stored.originateAt() == null) {
                    attempt.originateSent(creationTime(ch)); // sent, the mark not stored before the stop
                }
                LOG.info("call {} channel {}: recovered after restart, channel {} {}", request.attemptId(),
                        request.channelId(), ch.state(), ch.inStasis() ? "in Stasis" : "dialing");
                if (ch.inStasis() || "Up".equalsIgnoreCase(ch.state())) {
                    attempt.stasisFoundByReconcile(stasisArgs(ch));
                    handler.interruptedByRestart();
                    return;
                }
                if (request.amdEnabled()) {
                    rest().subscribe(app(), "channel:" + request.channelId()).onFailure(e -> LOG.warn(
                            "call {} channel {}: AMD re-subscription failed: {}", request.attemptId(),
                            request.channelId(), e.getMessage()));
                }
                armWatchdog(handler, request.trunk().originateTimeout().toMillis() + WATCHDOG_SLACK_MS);
            });
        });
        return result.future();
    }

    private static final java.time.format.DateTimeFormatter ARI_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** When Asterisk created {@code ch} (its {@code creationtime}), or now when it is missing or unreadable. */
    private java.time.Instant creationTime(AriModel.Channel ch) {
        try {
            return ch.creationtime() == null ? clock.instant()
                    : java.time.OffsetDateTime.parse(ch.creationtime(), ARI_TIME).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return clock.instant();
        }
    }

    /**
     * The AMD subscription found the channel gone. Its final events may still be on the websocket (they travel
     * apart from the REST reply): wait {@link #EARLY_END_GRACE_MS}, then, if none ended the attempt and Asterisk
     * confirms the channel is gone, end it LOST (its outcome is unknown; the retry rules never retry LOST at once).
     */
    private void closeIfGone(CallHandler handler) {
        if (handler.completed()) {
            return;
        }
        vertx.setTimer(EARLY_END_GRACE_MS, t -> {
            if (handler.completed()) {
                return;
            }
            rest().channel(handler.channelId()).onComplete(ar -> {
                if (handler.completed()) {
                    return;
                }
                if (ar.failed() && ar.cause() instanceof AriException && ((AriException) ar.cause()).notFound()) {
                    handler.endWithoutEvent(true, "channel ended before the AMD subscription and no final event "
                            + "was seen (endpointEvents on the trunk shows why)");
                } else if (ar.succeeded()) {
                    rest().subscribe(app(), "channel:" + handler.channelId()).onFailure(e -> LOG.warn(
                            "call {} channel {}: AMD re-subscription failed: {}", handler.attemptId(),
                            handler.channelId(), e.getMessage()));
                }
            });
        });
    }

    /** Until answered, a call whose end we cannot observe (lost events) is checked against Asterisk. */
    private void armWatchdog(CallHandler handler, long delayMs) {
        handler.watchdog(vertx.setTimer(delayMs, t -> {
            if (handler.completed() || handler.attempt().inStasis()) {
                return;
            }
            rest().channel(handler.channelId()).onComplete(ar -> {
                if (handler.completed()) {
                    return;
                }
                if (ar.failed() && ar.cause() instanceof AriException && ((AriException) ar.cause()).notFound()) {
                    handler.endWithoutEvent(true, "channel gone without a final event");
                } else {
                    armWatchdog(handler, WATCHDOG_SLACK_MS);
                }
            });
        }));
    }

    void onEvent(AriEvent event) {
        String id = event.channelId();
        CallHandler handler = id == null ? null : routes.get(id);
        if (handler != null) {
            handler.onEvent(event);
        }
    }

    /**
     * Compares the live calls with {@code GET /channels}: calls whose channel still exists are re-attached
     * (a missed StasisStart is made up from the channel's Stasis args), calls whose channel is gone end LOST.
     * Runs by itself after every websocket reconnect.
     */
    public Future<ReconcileReport> reconcile() {
        Promise<ReconcileReport> p = Promise.promise();
        context.runOnContext(v -> rest().channels().onComplete(ar -> {
            if (ar.failed()) {
                p.fail(ar.cause());
                return;
            }
            Map<String, AriModel.Channel> live = new HashMap<>();
            ar.result().forEach(c -> live.put(c.id(), c));
            int reattached = 0;
            int lost = 0;
            for (CallHandler h : new java.util.LinkedHashSet<>(routes.values())) {
                if (h.completed() || !routes.containsKey(h.channelId())) {
                    continue;
                }
                AriModel.Channel ch = live.get(h.channelId());
                if (ch == null) {
                    lost++;
                    h.endWithoutEvent(true, "channel vanished while the events websocket was down");
                    continue;
                }
                reattached++;
                if (ch.inStasis() && !h.attempt().inStasis()) {
                    h.attempt().stasisFoundByReconcile(stasisArgs(ch));
                    h.startFlow();
                } else if (h.attempt().request().amdEnabled() && !h.attempt().inStasis()) {
                    rest().subscribe(app(), "channel:" + h.channelId()).onFailure(e -> LOG.warn(
                            "call {} channel {}: AMD re-subscription failed: {}", h.attemptId(), h.channelId(),
                            e.getMessage()));
                }
            }
            LOG.info("ari {}: reconciled {} live calls: {} re-attached, {} lost", server.config().name(),
                    reattached + lost, reattached, lost);
            p.complete(new ReconcileReport(reattached, lost));
        }));
        return p.future();
    }

    private void reconcileAfterReconnect(int attempt) {
        reconcile().onFailure(e -> {
            if (attempt >= RECONCILE_TRIES) {
                LOG.error("ari {}: reconcile after reconnect failed {} times, live calls may be stale: {}",
                        server.config().name(), attempt, e.toString());
                return;
            }
            LOG.warn("ari {}: reconcile after reconnect failed (try {}), retrying: {}", server.config().name(),
                    attempt, e.toString());
            vertx.setTimer(500L * attempt, t -> reconcileAfterReconnect(attempt + 1));
        });
    }

    /** The Stasis args of a channel from its dialplan app_data ("app,arg1,arg2"). */
    static List<String> stasisArgs(AriModel.Channel ch) {
        String data = ch.dialplan() == null ? null : ch.dialplan().appData();
        if (data == null || data.indexOf(',') < 0) {
            return List.of();
        }
        return Arrays.asList(data.substring(data.indexOf(',') + 1).split(",", -1));
    }

    /**
     * Hangs up a live call of this engine by its channel id (e.g. a campaign is stopped). The attempt then
     * ends with its outcome as usual (an unanswered call: FAILED/NO_ANSWER by its cause; an answered call:
     * ANSWERED, the flow gets {@code HungUp(false, cause)}). Unknown ids are ignored.
     */
    public Future<Void> hangup(String channelId, String reason) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            CallHandler h = routes.get(channelId);
            if (h == null || h.completed()) {
                p.complete();
                return;
            }
            if (h.control() != null) {
                h.control().hangup(io.outdial.ivr.spi.CallControl.HangupReason.NORMAL);
                p.complete();
            } else {
                rest().hangup(channelId, reason).recover(e -> e instanceof AriException
                        && ((AriException) e).notFound() ? Future.succeededFuture() : Future.failedFuture(e))
                        .onComplete(p);
            }
        });
        return p.future();
    }

    /**
     * Sets the timers flows start on this engine's calls (default {@link FlowTimers#realTime}); use
     * {@link FlowTimers#scaled} with the sandbox PBX's time scale. Calls already running keep their timers.
     */
    CallEngine useFlowTimers(FlowTimers timers) {
        this.flowTimers = Objects.requireNonNull(timers, "timers");
        return this;
    }

    /**
     * Runs the timers flows start on this engine's calls (gather and record timeouts, pauses) {@code timeScale}
     * times faster than real time (default 1): give the sandbox PBX's time scale. Calls already running keep their
     * timers.
     *
     * @throws IllegalArgumentException unless {@code timeScale} is positive and finite
     */
    public CallEngine useFlowTimeScale(double timeScale) {
        return useFlowTimers(FlowTimers.scaled(vertx, timeScale));
    }

    /** {@code timeScale} itself when it is a positive finite number, as a flow time scale must be; else refused. */
    public static double checkedTimeScale(double timeScale) {
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("timeScale " + timeScale + " must be a positive finite number");
        }
        return timeScale;
    }

    /** The timers flows use. */
    FlowTimers flowTimers() {
        return flowTimers;
    }

    /** Calls not yet ended. */
    public int activeCalls() {
        return active;
    }

    /** The server this engine dials on. */
    public AriServer server() {
        return server;
    }

    void route(String channelId, CallHandler handler) {
        routes.put(channelId, handler);
    }

    void unroute(String channelId) {
        routes.remove(channelId);
    }

    void finished(CallHandler handler) {
        // remove(key, value): a request refused for a duplicate channel id must not unroute the live call
        routes.remove(handler.channelId(), handler);
        if (handler.control() != null && handler.control().transferLeg() != null) {
            routes.remove(handler.control().transferLeg().legId(), handler);
        }
        active--;
    }

    AriRestClient rest() { return server.rest(); }
    String app() { return server.config().app(); }
    Vertx vertx() { return vertx; }
    PromptResolver resolver() { return resolver; }
    CallListener listener() { return listener; }

    Trunk trunk(String name) {
        return trunks == null ? null : trunks.apply(name);
    }

    /** What a reconcile found. */
    public record ReconcileReport(int reattached, int lost) { }
}

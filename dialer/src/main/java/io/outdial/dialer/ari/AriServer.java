package io.outdial.dialer.ari;

import io.vertx.circuitbreaker.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One Asterisk server as seen by this node: the REST client, the events websocket of the app (reconnected
 * with a jittered exponential backoff from vertx-circuit-breaker's {@link RetryPolicy}, first retry within
 * {@code reconnectInitial}) and the server's {@link AriHealth}. Everything stateful runs on
 * one Vert.x context ({@link #context()}), where event and reconnect handlers are called too.
 *
 * <p>Lifecycle: {@link #start()} connects and completes once the websocket is open, the app is registered
 * and {@code GET /asterisk/info} answered (it keeps retrying on its own after a failed first try);
 * {@link #stop()} closes everything. After a drop the {@link #onReconnected} handler runs once the app is
 * registered again: the call engine reconciles there. {@code ApplicationReplaced} marks the server DOWN and
 * stops reconnecting (another process owns the app name: a person must act).
 */
public final class AriServer {
    private static final Logger LOG = LoggerFactory.getLogger(AriServer.class);
    /** Doubling stops here (2^16 x reconnectInitial is far above any reconnectMax), so the shift cannot wrap. */
    private static final int MAX_BACKOFF_STEP = 16;

    private final Vertx vertx;
    private final AriServerConfig config;
    private final AriRestClient rest;
    private final Context context;
    private final Clock clock;
    private final WebSocketClient wsClient;
    private final List<Consumer<AriEvent>> eventHandlers = new ArrayList<>();
    private final List<Runnable> reconnectedHandlers = new ArrayList<>();
    private final List<Consumer<AriHealth>> healthHandlers = new ArrayList<>();
    private volatile AriHealth health;
    private volatile AriTap tap = AriTap.NONE;
    private WebSocket socket;
    private boolean registered;
    private boolean everRegistered;
    private boolean replaced;
    private boolean stopped = true;
    private String infoError = "not checked yet";
    /** Reconnect backoff: doubling from reconnectInitial up to reconnectMax, with full jitter. */
    private final RetryPolicy reconnectBackoff;
    private int reconnectAttempt;
    private long reconnectTimer = -1;
    private long healthTimer = -1;
    private Promise<Void> firstUp;
    /** A {@link #reconnect()} is opening a new websocket: an ApplicationReplaced now is our own doing. */
    private boolean swapping;
    /**
     * Asterisk sends the app only the types in {@link AriEvents#ACTED_ON} (its event filter was set for the app since
     * the websocket now attached), so a frame is bound at once rather than first read up to its type.
     */
    private boolean serverFiltered;
    /** Fingerprints of the last events received, to drop exact repeats (see {@link #DEDUP_WINDOW}). */
    private final Set<Fingerprint> recent = new HashSet<>();
    private final ArrayDeque<Fingerprint> recentOrder = new ArrayDeque<>();
    /**
     * How many recent events are remembered to drop byte-identical repeats. An app subscribed both to a channel
     * and to its endpoint (trunk health subscribes to {@code endpoint:TECH/resource}) gets the channel's events
     * through both subscriptions (Asterisk forwards a channel's topic to its endpoint's topic); a repeated DTMF digit
     * must not reach a flow twice. Real events are never byte-identical: they carry a millisecond timestamp.
     */
    static final int DEDUP_WINDOW = 4096;
    /** The largest event accepted (events are a few kilobytes); also the websocket's message limit. */
    static final int MAX_EVENT_BYTES = 8 << 20;

    /**
     * An event's length and a 64-bit hash of its bytes, taken in one pass eight bytes at a time (each word mixed in
     * by a multiply and a shift, as in FNV's multiply-xor over bytes, at an eighth of the steps; no false repeats in
     * practice among the {@link #DEDUP_WINDOW} remembered).
     */
    record Fingerprint(int length, long hash) {
        private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final long PRIME = 0x9e3779b97f4a7c15L;

        static Fingerprint of(byte[] text) {
            long h = 0xcbf29ce484222325L ^ text.length;
            int i = 0;
            for (; i + 8 <= text.length; i += 8) {
                h = mix(h, (long) WORDS.get(text, i));
            }
            long tail = 0;
            for (int shift = 0; i < text.length; i++, shift += 8) {
                tail |= (text[i] & 0xffL) << shift;
            }
            return new Fingerprint(text.length, mix(h, tail));
        }

        private static long mix(long h, long word) {
            long x = (h ^ word) * PRIME;
            return x ^ (x >>> 29);
        }
    }

    /**
     * Gathers one websocket's text messages from their frames and gives their UTF-8 bytes: Jackson reads them as they
     * are, where a text message handler would first decode each into a string. Binary, ping and pong frames carry no
     * events and are passed over. Not thread-safe: used on the websocket's event loop.
     */
    static final class MessageJoiner {
        private final int maxBytes;
        private Buffer partial;
        private boolean dropped;

        MessageJoiner(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** The message {@code frame} completes, or null (more frames to come, not text, or too long). */
        byte[] add(WebSocketFrame frame) {
            dropped = false;
            if (frame.isText()) {
                partial = null;
                if (frame.isFinal()) {
                    return frame.binaryData().getBytes();
                }
                partial = frame.binaryData().copy();
            } else if (frame.isContinuation() && partial != null) {
                partial.appendBuffer(frame.binaryData());
                if (partial.length() > maxBytes) {
                    partial = null;
                    dropped = true;
                } else if (frame.isFinal()) {
                    byte[] text = partial.getBytes();
                    partial = null;
                    return text;
                }
            }
            return null;
        }

        /** Whether the last frame added made its message longer than the limit (the message is skipped). */
        boolean dropped() {
            return dropped;
        }
    }

    /** A server connection (not started) on the caller's event-loop context. */
    public AriServer(Vertx vertx, AriServerConfig config, Clock clock) {
        this(vertx, config, clock, vertx.getOrCreateContext());
    }

    /**
     * A server connection (not started) whose handlers run on {@code context}: a node gives each server an event
     * loop of its own ({@code node.EventLoops}), so each server's calls get their own loop.
     */
    public AriServer(Vertx vertx, AriServerConfig config, Clock clock, Context context) {
        this.vertx = vertx;
        this.config = config;
        this.reconnectBackoff = RetryPolicy.exponentialDelayWithJitter(config.reconnectInitial().toMillis(),
            config.reconnectMax().toMillis());
        this.clock = clock;
        this.rest = new AriRestClient(vertx, config);
        this.context = context;
        this.wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxMessageSize(MAX_EVENT_BYTES));
        this.health = new AriHealth(config.name(), AriHealth.State.STARTING, "not started", clock.instant());
    }

    /** The configuration. */
    public AriServerConfig config() {
        return config;
    }

    /** The REST client of this server. */
    public AriRestClient rest() {
        return rest;
    }

    /** The context all handlers run on. */
    public Context context() {
        return context;
    }

    /** The current health (readable from any thread). */
    public AriHealth health() {
        return health;
    }

    /** True when the websocket is connected, the app registered and Asterisk answers: originate may go. */
    public boolean ready() {
        return health.up();
    }

    /**
     * Asterisk refused a request in a way that says it takes no calls now (HTTP 503 "Shutdown in progress"): the
     * server is DOWN, so no call is sent its way, until {@code GET /asterisk/info} answers again (checked every
     * {@code healthInterval}) or the websocket reconnects.
     */
    public void unavailable(String detail) {
        context.runOnContext(v -> {
            if (!stopped && health.up()) {
                setHealth(AriHealth.State.DOWN, detail);
            }
        });
    }

    /**
     * Adds a handler for every event of the types in {@link AriEvents#ACTED_ON} (called on {@link #context()}; other
     * types are dropped unparsed). Add before {@link #start()}.
     */
    public AriServer onEvent(Consumer<AriEvent> handler) {
        eventHandlers.add(handler);
        return this;
    }

    /** Adds a handler run after the app is registered again following a websocket drop. */
    public AriServer onReconnected(Runnable handler) {
        reconnectedHandlers.add(handler);
        return this;
    }

    /** Sets the observer of events and REST requests (measurements); {@link AriTap#NONE} to stop. */
    AriServer tap(AriTap tap) {
        this.tap = tap == null ? AriTap.NONE : tap;
        rest.tap(this.tap);
        return this;
    }

    /** Adds a handler for health changes. */
    public AriServer onHealthChange(Consumer<AriHealth> handler) {
        healthHandlers.add(handler);
        return this;
    }

    /** Connects; completes when first UP, fails if the first try fails (retries go on in the background). */
    public Future<Void> start() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            stopped = false;
            firstUp = p;
            reconnectAttempt = 0;
            healthTimer = vertx.setPeriodic(config.healthInterval().toMillis(), id -> pollInfo());
            connect();
        });
        return p.future();
    }

    /** Closes the websocket and the REST client; no reconnect after this. */
    public Future<Void> stop() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            stopped = true;
            vertx.cancelTimer(healthTimer);
            vertx.cancelTimer(reconnectTimer);
            WebSocket ws = socket;
            socket = null;
            Future<Void> closed = ws == null ? Future.succeededFuture() : ws.close();
            closed.eventually(() -> wsClient.close()).onComplete(ar -> {
                rest.close();
                setHealth(AriHealth.State.DOWN, "stopped");
                p.complete();
            });
        });
        return p.future();
    }

    /**
     * Opens a fresh events websocket (after ApplicationReplaced, or to force a new connection). Make before break:
     * while the old websocket is connected, the new one is opened first. Asterisk then sends every event to the
     * newest connection (the old one only gets ApplicationReplaced, expected here), so live calls lose no event;
     * the old websocket is closed once the new one is attached. Without a websocket it simply connects.
     */
    public void reconnect() {
        context.runOnContext(v -> {
            replaced = false;
            WebSocket old = socket;
            if (old == null) {
                connect();
                return;
            }
            if (swapping) {
                return; // a new websocket is already being opened
            }
            swapping = true;
            openSocket().onComplete(ar -> {
                swapping = false;
                if (ar.failed() || stopped || socket != old) {
                    if (ar.succeeded()) {
                        ar.result().close();
                    }
                    if (ar.failed()) {
                        LOG.warn("ari {} reconnect: new events websocket failed ({}); reconnecting the usual way",
                                config.name(), ar.cause().getMessage());
                        old.close();
                    }
                    return;
                }
                LOG.info("ari {} reconnect: new events websocket open, closing the old one", config.name());
                socket = null;
                attach(ar.result());
                old.close();
            });
        });
    }

    private Future<WebSocket> openSocket() {
        URI base = URI.create(config.ariBase());
        boolean ssl = "https".equals(base.getScheme());
        int port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
        String uri = base.getRawPath() + "/events?app=" + URLEncoder.encode(config.app(), StandardCharsets.UTF_8)
                + "&subscribeAll=false";
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost()).setPort(port)
                .setSsl(ssl).setURI(uri).setConnectTimeout(config.requestTimeout().toMillis())
                .putHeader("Authorization", AriRestClient.basicAuth(config.username(), config.password()));
        return wsClient.connect(options);
    }

    private void connect() {
        if (stopped || replaced || socket != null) {
            return;
        }
        openSocket().onComplete(ar -> {
            if (ar.failed()) {
                connectFailed("events websocket connect failed: " + ar.cause().getMessage());
                return;
            }
            if (stopped) {
                ar.result().close();
                return;
            }
            attach(ar.result());
        });
    }

    private void attach(WebSocket ws) {
        socket = ws;
        serverFiltered = false;
        LOG.info("ari {} events websocket connected for app {}", config.name(), config.app());
        MessageJoiner joiner = new MessageJoiner(MAX_EVENT_BYTES);
        ws.frameHandler(frame -> {
            byte[] text = joiner.add(frame);
            if (text != null) {
                onText(ws, text);
            } else if (joiner.dropped()) {
                LOG.warn("ari {} skipped an event of more than {} bytes", config.name(), MAX_EVENT_BYTES);
            }
        });
        ws.exceptionHandler(e -> LOG.warn("ari {} events websocket error: {}", config.name(), e.toString()));
        ws.closeHandler(v -> onClosed(ws));
        rest.application(config.app())
                .compose(app -> rest.asteriskInfo())
                .compose(info -> filterEvents().map(filtered -> {
                    if (socket == ws) {
                        serverFiltered = filtered;
                    }
                    return info;
                }))
                .onComplete(ar -> {
                    if (socket != ws) {
                        return;
                    }
                    if (ar.failed()) {
                        infoError = ar.cause().getMessage();
                        ws.close();
                        return;
                    }
                    infoError = null;
                    registered = true;
                    reconnectAttempt = 0;
                    boolean again = everRegistered;
                    everRegistered = true;
                    setHealth(AriHealth.State.UP, upDetail(ar.result()));
                    if (firstUp != null) {
                        firstUp.tryComplete();
                        firstUp = null;
                    }
                    if (again) {
                        reconnectedHandlers.forEach(Runnable::run);
                    }
                });
    }

    /**
     * Asks Asterisk to send the app only the event types some handler acts on; true when it took the filter. An
     * Asterisk that cannot (older than 13.26 or 16.3, or refusing it) sends everything, and the frames no handler
     * acts on are dropped on arrival. Never fails.
     */
    private Future<Boolean> filterEvents() {
        return rest.filterEvents(config.app(), AriEvents.ACTED_ON).transform(ar -> {
            if (ar.failed()) {
                LOG.info("ari {} app {}: no event filter ({}); the events no handler acts on are dropped on arrival",
                        config.name(), config.app(), ar.cause().getMessage());
            }
            return Future.succeededFuture(ar.succeeded());
        });
    }

    private void onText(WebSocket from, byte[] text) {
        boolean filtered = serverFiltered;
        if (!filtered) {
            String type = AriEvents.typeOf(text);
            if (type != null && !AriEvents.ACTED_ON.contains(type)) {
                return; // a frame no handler acts on: not bound, not remembered
            }
        }
        Fingerprint fp = Fingerprint.of(text);
        if (!recent.add(fp)) {
            LOG.debug("ari {} dropped a repeated event", config.name());
            return;
        }
        recentOrder.addLast(fp);
        if (recentOrder.size() > DEDUP_WINDOW) {
            recent.remove(recentOrder.removeFirst());
        }
        AriTap t = tap;
        long receivedNanos = t == AriTap.NONE ? 0 : System.nanoTime();
        AriEvent event;
        try {
            event = AriEvents.parse(text);
        } catch (IllegalArgumentException e) {
            LOG.warn("ari {} skipped an unreadable event: {}", config.name(), e.getMessage());
            return;
        }
        if (event instanceof AriEvent.Unknown) {
            LOG.debug("ari {} skipped event of unmodelled type {}", config.name(), ((AriEvent.Unknown) event).type());
            return;
        }
        if (filtered && !AriEvents.actedOn(event)) {
            return; // sent before the filter took effect
        }
        if (t != AriTap.NONE) {
            t.eventReceived(event, receivedNanos);
        }
        if (event instanceof AriEvent.ApplicationReplaced && (from != socket || swapping)) {
            LOG.debug("ari {} old events websocket replaced by our own new one", config.name());
            return;
        }
        if (event instanceof AriEvent.ApplicationReplaced) {
            replaced = true;
            registered = false;
            LOG.error("ari {} app {} was taken over by another websocket connection (two dialers with the same "
                    + "app name?): this node gets no more events from it", config.name(), config.app());
            setHealth(AriHealth.State.DOWN, "application " + config.app() + " replaced by another connection", true);
        }
        for (Consumer<AriEvent> h : eventHandlers) {
            try {
                h.accept(event);
            } catch (RuntimeException e) {
                LOG.error("ari {} event handler failed on {}: {}", config.name(), event.getClass().getSimpleName(),
                        e.toString(), e);
            }
        }
    }

    private void onClosed(WebSocket ws) {
        if (socket != ws) {
            return;
        }
        socket = null;
        registered = false;
        if (stopped) {
            return;
        }
        if (replaced) {
            LOG.error("ari {} events websocket closed after ApplicationReplaced; not reconnecting", config.name());
            return;
        }
        connectFailed("events websocket closed" + (infoError == null ? "" : ": " + infoError));
    }

    private void connectFailed(String reason) {
        if (stopped) {
            return;
        }
        if (firstUp != null) {
            firstUp.tryFail(new AriException(config.name(), "GET", "/events", 0, reason, null));
            firstUp = null;
        }
        setHealth(AriHealth.State.DOWN, reason);
        // 1 + a random share of the doubled delay, so nodes that lost the same Asterisk do not reconnect in step
        long delay = 1 + reconnectBackoff.delay(null, reconnectAttempt);
        reconnectAttempt = Math.min(reconnectAttempt + 1, MAX_BACKOFF_STEP);
        LOG.warn("ari {} {}; reconnecting in {} ms", config.name(), reason, delay);
        reconnectTimer = vertx.setTimer(delay, id -> connect());
    }

    private void pollInfo() {
        if (socket == null || !registered) {
            return;
        }
        rest.asteriskInfo().onComplete(ar -> {
            if (ar.failed()) {
                infoError = ar.cause().getMessage();
                setHealth(AriHealth.State.DOWN, "GET /asterisk/info failed: " + infoError);
            } else {
                infoError = null;
                if (registered && !replaced && socket != null) {
                    setHealth(AriHealth.State.UP, upDetail(ar.result()));
                }
            }
        });
    }

    /** "Asterisk 22.10.1, app dialer-1" from the {@code GET /asterisk/info} reply. */
    private String upDetail(io.vertx.core.json.JsonObject info) {
        var system = info == null ? null : info.getJsonObject("system");
        String version = system == null ? null : system.getString("version");
        return "Asterisk " + (version == null ? "(version unknown)" : version) + ", app " + config.app();
    }

    private void setHealth(AriHealth.State state, String detail) {
        setHealth(state, detail, false);
    }

    private void setHealth(AriHealth.State state, String detail, boolean replacedApp) {
        AriHealth old = health;
        if (old.state() == state && old.detail().equals(detail) && old.replaced() == replacedApp) {
            return;
        }
        Instant since = old.state() == state ? old.since() : clock.instant();
        AriHealth next = new AriHealth(config.name(), state, detail, since, replacedApp);
        health = next;
        if (state == AriHealth.State.UP) {
            LOG.info("ari {} health UP", config.name());
        } else {
            LOG.warn("ari {} health {}: {}", config.name(), state, detail);
        }
        healthHandlers.forEach(h -> h.accept(next));
    }
}

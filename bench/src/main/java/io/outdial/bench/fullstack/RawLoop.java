package io.outdial.bench.fullstack;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline of the full-stack run: the same calls with nothing but a Vert.x {@code WebClient} (64 connections, as
 * the ARI client) and an events websocket read by substring. Each call: originate into Stasis ({@code POST /channels}
 * with {@code app}), on {@code StasisStart} play the same media the dialer's flow plays, on the callee's key hang up
 * ({@code DELETE /channels/{id}}); no database, no campaign, no flow. Paced evenly: originate {@code i} is due
 * {@code i x 1.02 s / perSecond} after the first (the 20 ms are the send guard the dialer's limiters keep), never more
 * than {@code perSecond} in a sliding second, at most {@code lines} calls alive, and at most {@link #MAX_ORIGINATES}
 * originate requests in flight (as the dialer's ARI request gate), so that none waits in the connection pool and a
 * request leaves when it is paced, while plays and hangups find a free connection. All state on one event loop.
 */
final class RawLoop implements AutoCloseable {
    static final String APP = "bench-raw";
    private static final Pattern CHANNEL = Pattern.compile("\"id\":\"(raw\\d+-\\d+)\"");
    /** The dialer's limiters hold each window this much longer than a second, so the PBX's jitter stays inside. */
    private static final long SEND_GUARD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Originate requests in flight at most: 3/4 of the 64 connections, as the dialer's ARI request gate. */
    static final int MAX_ORIGINATES = 48;

    private final Vertx vertx;
    private final Context ctx;
    private final int port;
    private final String base;
    private final String auth;
    private WebClient client;
    /** Held for the run: Vert.x closes a client nobody references any more, with its connections. */
    private io.vertx.core.http.WebSocketClient wsClient;
    private WebSocket ws;

    private String prefix;
    private String media;
    private int target;
    private int perSecond;
    private int lines;
    private int issued;
    private int answered;
    private int failed;
    private int ended;
    private int inFlight;
    private long start;
    private long interval;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private Promise<Void> done;
    private long timer = -1;

    /** What a step of the raw loop did. */
    record Result(int issued, int answered, int failed, int ended) { }

    RawLoop(Vertx vertx, int pbxPort) throws Exception {
        this.vertx = vertx;
        this.ctx = vertx.getOrCreateContext();
        this.port = pbxPort;
        this.base = "http://127.0.0.1:" + pbxPort + "/ari";
        this.auth = "Basic " + Base64.getEncoder().encodeToString((FullStackPbx.USER + ":" + FullStackPbx.PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
        ctx.runOnContext(v -> client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(64)));
        connect();
    }

    private void connect() throws Exception {
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> {
            if (wsClient == null) {
                wsClient = vertx.createWebSocketClient();
            }
            wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/ari/events?app=" + APP).putHeader("Authorization", auth))
            .onSuccess(socket -> {
                ws = socket;
                socket.textMessageHandler(this::onText);
                p.complete();
            }).onFailure(p::fail);
        });
        p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * Places {@code n} calls to {@code numberPrefix} + a 6-digit index, playing {@code mediaUri} to each; returns
     * once every call ended or failed, or after {@code timeoutS}.
     */
    Result run(String numberPrefix, int n, int perSecond, int lines, String mediaUri, long timeoutS) throws Exception {
        if (ws == null || ws.isClosed()) {
            connect();
        }
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> {
            prefix = numberPrefix;
            media = mediaUri;
            target = n;
            this.perSecond = perSecond;
            this.lines = lines;
            issued = 0;
            answered = 0;
            failed = 0;
            ended = 0;
            sent.clear();
            inFlight = 0;
            start = System.nanoTime();
            interval = perSecond > 0 ? (TimeUnit.SECONDS.toNanos(1) + SEND_GUARD_NS) / perSecond : 0;
            done = p;
            timer = vertx.setPeriodic(2, t -> pump());
            pump();
        });
        try {
            p.future().toCompletionStage().toCompletableFuture().get(timeoutS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.printf(Locale.ROOT, "raw loop: INCOMPLETE after %d s: issued %d, answered %d, failed %d,"
                + " ended %d of %d%n", timeoutS, issued, answered, failed, ended, n);
        }
        Promise<Result> r = Promise.promise();
        ctx.runOnContext(v -> {
            vertx.cancelTimer(timer);
            r.complete(new Result(issued, answered, failed, ended));
        });
        return r.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void pump() {
        long now = System.nanoTime();
        while (!sent.isEmpty() && now - sent.peekFirst() >= TimeUnit.SECONDS.toNanos(1) + SEND_GUARD_NS) {
            sent.pollFirst();
        }
        while (issued < target && issued - ended - failed < lines && inFlight < MAX_ORIGINATES
            && (perSecond <= 0 || sent.size() < perSecond && now - start >= issued * interval)) {
            int i = issued++;
            inFlight++;
            if (perSecond > 0) {
                sent.addLast(now);
            }
            client.postAbs(base + "/channels").putHeader("Authorization", auth)
                .addQueryParam("endpoint", "PJSIP/" + prefix + String.format(Locale.ROOT, "%06d", i) + "@carrier")
                .addQueryParam("channelId", "raw" + prefix.substring(4) + "-" + i)
                .addQueryParam("app", APP).addQueryParam("timeout", "10").addQueryParam("callerId", "+33100000001")
                .send().onComplete(ar -> {
                    inFlight--;
                    if (ar.failed() || ar.result().statusCode() >= 300) {
                        if (failed++ == 0) {
                            System.out.println("raw loop: first failed originate: " + (ar.failed() ? ar.cause()
                                : ar.result().statusCode() + " " + ar.result().bodyAsString()));
                        }
                        check();
                    }
                });
        }
    }

    private static String channel(String text) {
        Matcher m = CHANNEL.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private void onText(String text) {
        if (text.contains("\"StasisStart\"")) {
            String id = channel(text);
            if (id != null) {
                answered++;
                client.postAbs(base + "/channels/" + id + "/play").putHeader("Authorization", auth)
                    .addQueryParam("media", media).send();
            }
        } else if (text.contains("\"ChannelDtmfReceived\"")) {
            String id = channel(text);
            if (id != null) {
                client.deleteAbs(base + "/channels/" + id).putHeader("Authorization", auth).send();
            }
        } else if (text.contains("\"ChannelDestroyed\"")) {
            if (channel(text) != null) {
                ended++;
                check();
            }
        }
    }

    private void check() {
        if (done != null && ended + failed >= target) {
            done.tryComplete();
        }
    }

    @Override
    public void close() {
        ctx.runOnContext(v -> {
            if (ws != null) {
                ws.close();
            }
            client.close();
            if (wsClient != null) {
                wsClient.close();
            }
        });
    }
}

package io.outdial.bench.telephony;

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
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: a bare loop with a plain Vert.x WebClient (same pool size as the ARI client) and a websocket read
 * by substring, no JSON parsing, no call state, no flow. Same window of calls being set up as the engine run.
 * Two modes: {@code flow} (default) sends the same requests as the engine (originate; play on StasisStart; hangup on
 * the digit), so the PBX does the same work and the ratio isolates our client and engine; {@code originate} only
 * originates (the callee hangs up right after its digit).
 */
final class Baseline {
    private final Vertx vertx;
    private final Context ctx;
    private final String base;
    private final String auth;
    private WebClient client;
    private WebSocket ws;
    private int target;
    private int window;
    private int issued;
    private int answered;
    private int failed;
    private int ended;
    private long t0;
    private long tLast;
    private Promise<Void> done;
    private int round;

    private Baseline(Vertx vertx, int port) {
        this.vertx = vertx;
        this.ctx = vertx.getOrCreateContext();
        this.base = "http://127.0.0.1:" + port + "/ari";
        this.auth = "Basic " + Base64.getEncoder().encodeToString((LoadSandbox.USER + ":" + LoadSandbox.PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
    }

    static Baseline connect(Vertx vertx, int port) throws Exception {
        Baseline b = new Baseline(vertx, port);
        b.port = port;
        b.ctx.runOnContext(v -> b.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(64)));
        b.connectWebSocket();
        return b;
    }

    /** (Re)opens the events websocket: the PBX closes one that stayed idle while the engine ran. */
    private void connectWebSocket() throws Exception {
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(port).setURI("/ari/events?app=bench-base&subscribeAll=false").putHeader("Authorization", auth))
            .onSuccess(socket -> {
                ws = socket;
                socket.textMessageHandler(this::onText);
                p.complete();
            }).onFailure(p::fail));
        p.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private int port;

    private boolean flow;

    /** Places {@code n} calls; returns set-ups per second once all are answered and ended. */
    double run(String numbers, int n, int window, boolean sameFlow) throws Exception {
        flow = sameFlow;
        if (ws == null || ws.isClosed()) {
            connectWebSocket();
        }
        Promise<Void> p = Promise.promise();
        int r = ++round;
        ctx.runOnContext(v -> {
            target = n;
            this.window = window;
            issued = 0;
            answered = 0;
            failed = 0;
            ended = 0;
            done = p;
            t0 = System.nanoTime();
            pump(numbers, r);
        });
        try {
            p.future().toCompletionStage().toCompletableFuture().get(CallLoad.PHASE_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("INCOMPLETE: baseline answered " + answered + " of " + n + ", failed " + failed
                + ", issued " + issued + ", websocket " + (ws == null || ws.isClosed() ? "closed" : "open"));
        }
        double rate = answered / Math.max((tLast - t0) / 1e9, 1e-9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ended < answered && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (failed > 0) {
            System.out.println("baseline: " + failed + " originates failed");
        }
        return rate;
    }

    private String numbers;
    private int currentRound;

    private void pump(String numbers, int r) {
        this.numbers = numbers;
        this.currentRound = r;
        pump();
    }

    private void pump() {
        while (issued < target && issued - answered - failed < window) {
            int i = issued++;
            client.postAbs(base + "/channels")
                .putHeader("Authorization", auth)
                .addQueryParam("endpoint", "PJSIP/" + numbers + String.format("%07d", i) + "@carrier")
                .addQueryParam("channelId", "b" + currentRound + "-" + i)
                .addQueryParam("app", "bench-base")
                .addQueryParam("timeout", "30")
                .addQueryParam("callerId", "+15550000000")
                .sendJsonObject(new JsonObject().put("variables", new JsonObject()))
                .onComplete(ar -> {
                    if (ar.failed() || ar.result().statusCode() >= 300) {
                        if (failed == 0) {
                            System.out.println("baseline: first failed originate: " + (ar.failed() ? ar.cause()
                                : ar.result().statusCode() + " " + ar.result().bodyAsString()));
                        }
                        failed++;
                        check();
                        pump();
                    }
                });
        }
    }

    private static final java.util.regex.Pattern CHANNEL = java.util.regex.Pattern.compile("\"id\":\"(b\\d+-\\d+)\"");

    private String channel(String text) {
        java.util.regex.Matcher m = CHANNEL.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private void onText(String text) {
        if (flow && text.contains("\"ChannelDtmfReceived\"")) {
            String id = channel(text);
            if (id != null) {
                client.deleteAbs(base + "/channels/" + id).putHeader("Authorization", auth)
                    .addQueryParam("reason", "normal").send();
            }
        } else if (text.contains("\"StasisStart\"")) {
            if (flow) {
                String id = channel(text);
                if (id != null) {
                    client.postAbs(base + "/channels/" + id + "/play/" + id + "-p.0").putHeader("Authorization", auth)
                        .addQueryParam("media", "sound:hello").send();
                }
            }
            answered++;
            tLast = System.nanoTime();
            check();
            pump();
        } else if (text.contains("\"ChannelDestroyed\"")) {
            ended++;
        }
    }

    private void check() {
        if (done != null && answered + failed >= target) {
            done.tryComplete();
        }
    }

    void close() {
        ctx.runOnContext(v -> {
            if (ws != null) {
                ws.close();
            }
            client.close();
        });
    }
}

package io.outdial.sandbox.pbx.it;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Replays a transcript's actions against a sandbox PBX with a plain WebClient and WebSocket client, in order
 * and each not before its time (virtual time of the PBX clock), and logs what comes back in arrival order. All
 * clients live on one context, so the order of websocket frames and HTTP replies is the order they arrived.
 */
final class ScenarioRunner {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Vertx vertx;
    private final SandboxPbx pbx;
    private final Transcript transcript;
    private final UnaryOperator<String> rewrite;
    private final List<LogItem> log = new ArrayList<>();
    private final Map<Integer, WebSocket> sockets = new HashMap<>();
    /** Transcript channel id to sandbox channel id, learnt from originate replies in order. */
    private final Map<String, String> ids = new HashMap<>();
    private final List<String> transcriptOriginated = new ArrayList<>();
    private final String auth;
    private WebClient web;
    private WebSocketClient wsClient;
    private long startVirtual;

    private final Normalizer want;
    /** The capture's events per stream, to tell how late the sandbox runs. */
    private final Map<String, List<LogItem>> captureStreams = new HashMap<>();
    /** How far (virtual ms) the sandbox's latest event came after its twin in the capture; never negative. */
    private long offset;
    private final Normalizer live;
    private Runnable waiter;
    /** How long (PBX time) an action waits for its trigger event beyond its capture time and the current lateness. */
    private static final long TRIGGER_WAIT_MILLIS = 60_000;

    ScenarioRunner(Vertx vertx, SandboxPbx pbx, Transcript transcript, UnaryOperator<String> rewrite, Normalizer want,
                   String mediaPort) {
        this.want = want;
        transcript.observed.stream().filter(LogItem::isEvent)
            .forEach(e -> captureStreams.computeIfAbsent(want.stream(e), k -> new ArrayList<>()).add(e));
        this.live = new Normalizer(List.of(), mediaPort);
        this.vertx = vertx;
        this.pbx = pbx;
        this.transcript = transcript;
        this.rewrite = rewrite;
        this.auth = "Basic " + Base64.getEncoder().encodeToString("dialer:dialer".getBytes(StandardCharsets.UTF_8));
        for (LogItem item : transcript.observed) {
            if (item.isRest() && "originate".equals(item.name()) && item.body() instanceof JsonObject) {
                transcriptOriginated.add(((JsonObject) item.body()).getString("id"));
            }
        }
    }

    /** Runs the scenario; completes with the log once the last action plus {@code tailMillis} have passed. */
    Future<List<LogItem>> run(long tailMillis) {
        Promise<List<LogItem>> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            web = WebClient.create(vertx);
            wsClient = vertx.createWebSocketClient();
            startVirtual = pbx.clock().nowMillis();
            step(0).compose(x -> awaitAll(lastMillis() + offset + TRIGGER_WAIT_MILLIS)).compose(x -> after(Math.max(lastMillis(), now()) + tailMillis))
                .onComplete(x -> {
                sockets.values().forEach(WebSocket::close);
                web.close();
                wsClient.close();
                if (x.failed()) {
                    done.fail(x.cause());
                } else {
                    done.complete(List.copyOf(log));
                }
            });
        });
        return done.future();
    }

    /** The capture's last moment: its last action or its last observed event. */
    private long lastMillis() {
        long last = transcript.actions.isEmpty() ? 0 : transcript.actions.get(transcript.actions.size() - 1).millis();
        for (LogItem item : transcript.observed) {
            last = Math.max(last, item.millis());
        }
        return last;
    }

    private Future<Void> step(int index) {
        if (index >= transcript.actions.size()) {
            return Future.succeededFuture();
        }
        Transcript.Action action = transcript.actions.get(index);
        LogItem trigger = transcript.trigger(action);
        Future<Void> ready = afterElastic(action.sentMillis());
        if (trigger != null) {
            String stream = want.stream(trigger);
            int position = want.position(trigger);
            // The event that made the app act comes anyway; the bound only ends a replay whose sandbox never sends
            // it (the comparison then fails). Generous, in PBX time: at the tests' time scale a loaded machine's
            // few hundred milliseconds of wall-clock lateness are seconds here, and acting before the trigger would
            // reorder the call (a hang-up before the AMD result it answers).
            ready = ready.compose(x -> awaitEvent(stream, position, action.sentMillis() + offset + TRIGGER_WAIT_MILLIS));
        }
        return ready.compose(x -> perform(action)).compose(x -> step(index + 1));
    }

    /** Waits until every stream has as many events as in the capture, or until {@code deadline}. */
    private Future<Void> awaitAll(long deadline) {
        Map<String, Integer> expected = new HashMap<>();
        transcript.observed.stream().filter(LogItem::isEvent).forEach(e -> expected.merge(want.stream(e), 1, Integer::sum));
        Promise<Void> p = Promise.promise();
        Runnable check = () -> {
            if (expected.entrySet().stream().allMatch(e -> live.count(e.getKey()) >= e.getValue())) {
                waiter = null;
                p.tryComplete();
            }
        };
        waiter = check;
        check.run();
        after(deadline).onComplete(x -> p.tryComplete());
        return p.future();
    }

    /** Waits until the sandbox sent event #{@code position} of {@code stream}, or until {@code deadline}. */
    private Future<Void> awaitEvent(String stream, int position, long deadline) {
        Promise<Void> p = Promise.promise();
        Runnable check = () -> {
            if (live.count(stream) > position) {
                waiter = null;
                p.tryComplete();
            }
        };
        waiter = check;
        check.run();
        after(deadline).onComplete(x -> p.tryComplete());
        return p.future();
    }

    private void record(LogItem item) {
        log.add(item);
        live.observe(item);
        if (item.isEvent()) {
            List<LogItem> twins = captureStreams.get(live.stream(item));
            int k = live.position(item);
            if (twins != null && k < twins.size()) {
                offset = Math.max(0, item.millis() - twins.get(k).millis());
            }
        }
        if (waiter != null) {
            waiter.run();
        }
    }

    /**
     * Waits until capture time {@code millis} shifted by how late the sandbox currently runs behind the capture
     * (the elastic timeline: on a loaded machine the whole call is late, and the app's timed steps follow it).
     */
    private Future<Void> afterElastic(long millis) {
        long target = millis + offset;
        if (now() >= target) {
            return Future.succeededFuture();
        }
        return after(target).compose(x -> afterElastic(millis));
    }

    private Future<Void> after(long millis) {
        long wait = startVirtual + millis - pbx.clock().nowMillis();
        if (wait <= 0) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        pbx.clock().schedule(wait, () -> p.complete());
        return p.future();
    }

    private long now() {
        return pbx.clock().nowMillis() - startVirtual;
    }

    private Future<Void> perform(Transcript.Action action) {
        if ("ws_open".equals(action.method())) {
            return openSocket(action.ws(), action.path());
        }
        if ("ws_close".equals(action.method())) {
            WebSocket ws = sockets.remove(action.ws());
            return ws == null ? Future.succeededFuture() : ws.close();
        }
        HttpRequest<Buffer> request = web.request(HttpMethod.valueOf(action.method()), pbx.port(), "127.0.0.1",
            "/ari" + mapIds(action.path())).putHeader("Authorization", auth);
        action.params().forEach((k, v) -> request.addQueryParam(k, rewrite.apply(mapIds(v))));
        Future<HttpResponse<Buffer>> sent = action.jsonBody() == null ? request.send()
            : request.sendJsonObject(action.jsonBody());
        return sent.compose(this::settle).map(resp -> {
            Object body = body(resp);
            record(new LogItem("rest", 0, action.name(), resp.statusCode(), body, now()));
            if ("originate".equals(action.name()) && body instanceof JsonObject) {
                int n = (int) log.stream().filter(i -> i.isRest() && "originate".equals(i.name())).count() - 1;
                if (n < transcriptOriginated.size()) {
                    ids.put(transcriptOriginated.get(n), ((JsonObject) body).getString("id"));
                }
            }
            return null;
        });
    }

    /**
     * Lets websocket frames that reached the socket before this reply be dispatched first: Vert.x hands websocket
     * messages to the handler through a context task, while the HTTP reply completes directly.
     */
    private Future<HttpResponse<Buffer>> settle(HttpResponse<Buffer> resp) {
        Promise<HttpResponse<Buffer>> p = Promise.promise();
        vertx.getOrCreateContext().runOnContext(a -> vertx.getOrCreateContext().runOnContext(b -> p.complete(resp)));
        return p.future();
    }

    private Object body(HttpResponse<Buffer> resp) {
        Buffer buffer = resp.body();
        if (buffer == null || buffer.length() == 0) {
            return null;
        }
        String type = resp.getHeader("Content-Type");
        if (type != null && type.startsWith("audio/")) {
            int channels = buffer.getShortLE(22);
            int rate = buffer.getIntLE(24);
            int byteRate = buffer.getIntLE(28);
            int bits = buffer.getShortLE(34);
            int data = buffer.getIntLE(40);
            return new LogItem.Binary(type, buffer.length(), channels, rate, bits, (double) data / byteRate);
        }
        return Json.decodeValue(buffer);
    }

    private String mapIds(String text) {
        String out = text;
        for (Map.Entry<String, String> e : ids.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    private Future<Void> openSocket(int index, String path) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(pbx.port())
            .setURI(path).addHeader("Authorization", auth);
        return wsClient.connect(options).map(ws -> {
            sockets.put(index, ws);
            ws.textMessageHandler(text -> {
                JsonObject event = new JsonObject(text);
                long at = ZonedDateTime.parse(event.getString("timestamp"), TS).toInstant().toEpochMilli();
                record(new LogItem("event", index, event.getString("type"), 0, event, at - startVirtual));
            });
            return null;
        });
    }
}

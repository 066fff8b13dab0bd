package io.outdial.dialer.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny scripted ARI server for unit tests (loopback, port 0): one events websocket, REST answers that tests
 * choose, and replay of the real transcripts with their channel ids replaced by ours. Not a PBX: the sandbox
 * module is the real simulator; this one lets tests put exact event sequences on the wire.
 */
public final class FakeAri {
    /** A REST request the fake received. */
    public record Request(String method, String path, Map<String, String> params, String body) { }

    /** A reply: status and JSON body (null for none); events to send before the reply. */
    public record Reply(int status, String body, List<String> eventsBefore) { }

    private final Vertx vertx;
    private HttpServer server;
    private int port;
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final Map<String, JsonObject> channels = new ConcurrentHashMap<>();
    public final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    public volatile long replyDelayMs;
    public volatile boolean appRegistered = true;
    public volatile Function<Request, Reply> handler = r -> null;

    public FakeAri(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<FakeAri> start(int onPort) {
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            if (!ws.path().equals("/ari/events")) {
                ws.close();
                return;
            }
            sockets.add(ws);
            ws.closeHandler(v -> sockets.remove(ws));
        }).requestHandler(req -> req.body().onSuccess(b -> handle(req, b.toString())));
        return server.listen(onPort, "127.0.0.1").map(s -> {
            port = s.actualPort();
            return this;
        });
    }

    public Future<Void> stop() {
        sockets.forEach(ServerWebSocket::close);
        return server.close();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int sockets() {
        return sockets.size();
    }

    /** Sends an event JSON on every open websocket. */
    public void send(String json) {
        sockets.forEach(ws -> ws.writeTextMessage(json));
    }

    /**
     * Sends an event JSON on every open websocket as one text message in three frames: a text frame with its first
     * {@code head} characters, then two continuation frames whose split falls after byte {@code cut} of the rest (it
     * may cut a multi-byte character in two, as a sender is free to).
     */
    public void sendInFrames(String json, int head, int cut) {
        byte[] rest = json.substring(head).getBytes(StandardCharsets.UTF_8);
        sockets.forEach(ws -> {
            ws.writeFrame(WebSocketFrame.textFrame(json.substring(0, head), false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(rest, 0, cut)), false));
            ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(rest, cut, rest.length)),
                true));
        });
    }

    /** Closes every websocket from the server side. */
    public void dropSockets() {
        sockets.forEach(ServerWebSocket::close);
    }

    private void handle(HttpServerRequest req, String body) {
        Map<String, String> params = new ConcurrentHashMap<>();
        req.params().forEach(e -> params.put(e.getKey(), e.getValue()));
        String path = req.path().substring("/ari".length());
        Request r = new Request(req.method().name(), path, params, body);
        requests.add(r);
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        Reply reply = handler.apply(r);
        if (reply == null) {
            reply = defaultReply(r);
        }
        Reply fin = reply;
        fin.eventsBefore().forEach(this::send);
        Runnable respond = () -> {
            concurrent.decrementAndGet();
            req.response().setStatusCode(fin.status());
            if (fin.body() == null) {
                req.response().end();
            } else {
                req.response().putHeader("Content-Type", "application/json").end(fin.body());
            }
        };
        if (replyDelayMs > 0) {
            vertx.setTimer(replyDelayMs, t -> respond.run());
        } else {
            respond.run();
        }
    }

    private Reply defaultReply(Request r) {
        if (r.method().equals("GET") && r.path().startsWith("/applications/")) {
            return appRegistered ? ok(new JsonObject().put("name", r.path().substring(14))
                    .put("channel_ids", new JsonArray()).encode())
                    : new Reply(404, "{\"message\":\"Application not found\"}", List.of());
        }
        if (r.method().equals("GET") && r.path().equals("/asterisk/info")) {
            return ok("{\"system\":{\"version\":\"22.10.1\"}}");
        }
        if (r.method().equals("GET") && r.path().equals("/channels")) {
            return ok(new JsonArray(List.copyOf(channels.values())).encode());
        }
        if (r.method().equals("POST") && r.path().equals("/channels")) {
            return ok(new JsonObject().put("id", r.params().get("channelId")).put("state", "Down").encode());
        }
        if (r.method().equals("POST") && r.path().startsWith("/bridges/") && !r.path().contains("Channel")) {
            return ok(new JsonObject().put("id", r.path().substring(9)).put("channels", new JsonArray()).encode());
        }
        if (r.method().equals("GET")) {
            return new Reply(404, "{\"message\":\"Not found\"}", List.of());
        }
        return new Reply(r.method().equals("POST") && r.path().contains("/play") ? 201 : 204, null, List.of());
    }

    public static Reply ok(String body) {
        return new Reply(200, body, List.of());
    }

    /**
     * The event lines of a transcript with its originated channel id (and its {@code ;2} half) replaced by
     * {@code channelId} (and {@code channelId-2}).
     */
    public static List<String> transcriptEvents(String name, String channelId) {
        String id1 = Transcripts.originatedChannelId(name);
        String id2 = null;
        String name1 = null;
        for (JsonNode n : Transcripts.lines(name)) {
            JsonNode e = n.get("event");
            if (e == null) {
                continue;
            }
            for (String f : List.of("channel", "peer")) {
                JsonNode c = e.get(f);
                if (c != null && c.path("id").asText().equals(id1)) {
                    name1 = c.path("name").asText();
                }
            }
        }
        for (JsonNode n : Transcripts.lines(name)) {
            JsonNode c = n.path("event").path("channel");
            if (name1 != null && c.path("name").asText().equals(name1.replace(";1", ";2"))) {
                id2 = c.path("id").asText();
            }
        }
        String from2 = id2;
        return Transcripts.eventJson(name).stream().map(json -> {
            String out = json.replace("\"" + id1 + "\"", "\"" + channelId + "\"")
                    .replace("channel:" + id1 + "\"", "channel:" + channelId + "\"");
            return from2 == null ? out : out.replace("\"" + from2 + "\"", "\"" + channelId + "-2\"");
        }).toList();
    }
}

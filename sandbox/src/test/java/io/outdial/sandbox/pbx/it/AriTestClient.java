package io.outdial.sandbox.pbx.it;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/** A minimal ARI client for tests: REST with Basic auth and one events websocket collecting events. */
final class AriTestClient {

    private final Vertx vertx;
    private final SandboxPbx pbx;
    private final WebClient web;
    private final WebSocketClient wsClient;
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean socketClosed = new AtomicBoolean();
    /** Every event received, also when {@link #keepEvents} is false. */
    final java.util.concurrent.atomic.AtomicLong eventCount = new java.util.concurrent.atomic.AtomicLong();
    /** False for load tests: count events without keeping them. */
    volatile boolean keepEvents = true;
    private WebSocket socket;

    AriTestClient(Vertx vertx, SandboxPbx pbx) {
        this.vertx = vertx;
        this.pbx = pbx;
        this.web = WebClient.create(vertx);
        this.wsClient = vertx.createWebSocketClient();
    }

    AriTestClient connect(String app) {
        return connect(app, false);
    }

    /** Connects the events websocket of {@code app}, with {@code subscribeAll=true} when asked. */
    AriTestClient connect(String app, boolean subscribeAll) {
        socket = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(pbx.port())
            .setURI("/ari/events?app=" + app + "&api_key=dialer:dialer" + (subscribeAll ? "&subscribeAll=true" : "")))
            .await();
        socket.textMessageHandler(text -> {
            eventCount.incrementAndGet();
            if (keepEvents) {
                events.add(new JsonObject(text));
            }
        });
        socket.closeHandler(v -> socketClosed.set(true));
        return this;
    }

    HttpResponse<Buffer> call(HttpMethod method, String path, Map<String, String> params) {
        return request(method, path, params).send().await();
    }

    HttpRequest<Buffer> request(HttpMethod method, String path, Map<String, String> params) {
        HttpRequest<Buffer> req = web.request(method, pbx.port(), "127.0.0.1", "/ari" + path)
            .basicAuthentication("dialer", "dialer");
        params.forEach(req::addQueryParam);
        return req;
    }

    JsonObject originate(Map<String, String> params) {
        HttpResponse<Buffer> resp = call(HttpMethod.POST, "/channels", params);
        if (resp.statusCode() != 200) {
            throw new AssertionError("originate " + params + " -> " + resp.statusCode() + " " + resp.bodyAsString());
        }
        return resp.bodyAsJsonObject();
    }

    /** Events about channel {@code id} (channel, peer, or playback/recording target). */
    List<JsonObject> eventsOf(String id) {
        return events.stream().filter(e -> id.equals(channelId(e))).collect(Collectors.toList());
    }

    /** "Type" or "Type:detail" per event of channel {@code id}, detail = dialstatus, cause, digit, args or state. */
    List<String> summary(String id) {
        return eventsOf(id).stream().map(AriTestClient::describe).collect(Collectors.toList());
    }

    static String describe(JsonObject e) {
        String type = e.getString("type");
        if (e.containsKey("dialstatus")) {
            return type + ":" + e.getString("dialstatus");
        }
        if (e.containsKey("cause")) {
            return type + ":" + e.getInteger("cause");
        }
        if (e.containsKey("digit")) {
            return type + ":" + e.getString("digit");
        }
        if (e.containsKey("args")) {
            return type + ":" + e.getJsonArray("args").encode();
        }
        if (e.containsKey("variable")) {
            return type + ":" + e.getString("variable") + "=" + e.getString("value");
        }
        if (e.containsKey("playback")) {
            return type + ":" + e.getJsonObject("playback").getString("state");
        }
        if (e.containsKey("recording")) {
            return type + ":" + e.getJsonObject("recording").getString("state");
        }
        return type + ":" + e.getJsonObject("channel", new JsonObject()).getString("state");
    }

    private static String channelId(JsonObject e) {
        if (e.getJsonObject("channel") != null) {
            return e.getJsonObject("channel").getString("id");
        }
        if (e.getJsonObject("peer") != null) {
            return e.getJsonObject("peer").getString("id");
        }
        JsonObject media = e.getJsonObject("playback", e.getJsonObject("recording"));
        return media == null ? null : media.getString("target_uri").substring("channel:".length());
    }

    Future<Void> close() {
        Future<Void> closing = socket == null ? Future.succeededFuture() : socket.close();
        return closing.eventually(() -> {
            web.close();
            return wsClient.close();
        });
    }
}

package io.outdial.sandbox.pbx.impl;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ARI REST resources, mapped onto {@link Engine}, {@link Media} and {@link Bridges}. */
final class Rest {

    private static final String WRITES = "sandbox.writes";
    private final Engine engine;
    private final Media media;
    private final Bridges bridges;

    Rest(Engine engine) {
        this.engine = engine;
        this.media = engine.media;
        this.bridges = engine.bridges;
    }

    void mount(Router router) {
        router.post("/ari/channels").handler(h(this::originate));
        router.get("/ari/channels").handler(h(ctx -> {
            JsonArray out = new JsonArray();
            engine.channels.values().forEach(ch -> out.add(ch.snapshot()));
            send(ctx, 200, out);
        }));
        router.post("/ari/channels/:id").handler(h(this::originate));
        router.get("/ari/channels/:id").handler(h(ctx -> send(ctx, 200, engine.channel(id(ctx)).snapshot())));
        router.delete("/ari/channels/:id").handler(h(ctx -> {
            Channel ch = engine.channel(id(ctx));
            engine.appHangup(ch, hangupCause(ctx));
            send(ctx, 204, null);
        }));
        router.post("/ari/channels/:id/answer").handler(h(ctx -> {
            engine.stasisChannel(id(ctx));
            send(ctx, 204, null);
        }));
        router.post("/ari/channels/:id/ring").handler(h(ctx -> {
            engine.stasisChannel(id(ctx));
            send(ctx, 204, null);
        }));
        router.post("/ari/channels/:id/play").handler(h(ctx -> play(ctx, null)));
        router.post("/ari/channels/:id/play/:playbackId").handler(h(ctx -> play(ctx, ctx.pathParam("playbackId"))));
        router.post("/ari/channels/:id/record").handler(h(this::record));
        router.post("/ari/channels/:id/dtmf").handler(h(ctx -> {
            engine.stasisChannel(id(ctx));
            String dtmf = param(ctx, "dtmf");
            if (dtmf == null || dtmf.isEmpty()) {
                throw new Engine.AriError(400, "DTMF is required");
            }
            send(ctx, 204, null);
        }));
        router.get("/ari/channels/:id/variable").handler(h(ctx -> {
            Channel ch = engine.channel(id(ctx));
            String name = param(ctx, "variable");
            if (name == null || name.isEmpty()) {
                throw new Engine.AriError(400, "Variable name is required");
            }
            if (!name.contains("(") && ch.variable(name) == null) {
                throw new Engine.AriError(404, "Provided variable was not found");
            }
            send(ctx, 200, new JsonObject().put("value", engine.variableValue(ch, name)));
        }));
        router.post("/ari/channels/:id/variable").handler(h(ctx -> {
            Channel ch = engine.channel(id(ctx));
            String name = param(ctx, "variable");
            if (name == null || name.isEmpty()) {
                throw new Engine.AriError(400, "Variable name is required");
            }
            String value = param(ctx, "value");
            engine.setVariable(ch, name, value == null ? "" : value);
            send(ctx, 204, null);
        }));
        router.get("/ari/playbacks/:id").handler(h(ctx -> send(ctx, 200, media.playback(id(ctx)).json())));
        router.delete("/ari/playbacks/:id").handler(h(ctx -> {
            media.finish(media.playback(id(ctx)), "done");
            send(ctx, 204, null);
        }));
        router.post("/ari/playbacks/:id/control").handler(h(ctx -> {
            media.playback(id(ctx));
            send(ctx, 204, null);
        }));
        mountRecordings(router);
        mountBridges(router);
        mountApplications(router);
    }

    private void mountRecordings(Router router) {
        router.get("/ari/recordings/stored").handler(h(ctx -> send(ctx, 200, media.storedList())));
        router.get("/ari/recordings/stored/:name").handler(h(ctx -> {
            Media.Stored rec = media.stored(ctx.pathParam("name"));
            send(ctx, 200, new JsonObject().put("name", rec.name()).put("format", rec.format()));
        }));
        router.delete("/ari/recordings/stored/:name").handler(h(ctx ->
            media.deleteStored(ctx.pathParam("name")).onComplete(x -> send(ctx, 204, null))));
        router.get("/ari/recordings/stored/:name/file").handler(h(ctx -> {
            Media.Stored rec = media.stored(ctx.pathParam("name"));
            rec.written().onComplete(x -> ctx.response().putHeader("Content-Type", "audio/wav")
                .sendFile(media.file(rec).toString()));
        }));
        router.get("/ari/recordings/live/:name").handler(h(ctx ->
            send(ctx, 200, media.liveRecording(ctx.pathParam("name")).json())));
        router.post("/ari/recordings/live/:name/stop").handler(h(ctx -> {
            media.finishRecording(media.liveRecording(ctx.pathParam("name")), "done");
            send(ctx, 204, null);
        }));
        router.delete("/ari/recordings/live/:name").handler(h(ctx -> {
            media.finishRecording(media.liveRecording(ctx.pathParam("name")), "canceled");
            send(ctx, 204, null);
        }));
    }

    private void mountBridges(Router router) {
        router.get("/ari/bridges").handler(h(ctx -> send(ctx, 200, bridges.list())));
        router.post("/ari/bridges").handler(h(ctx ->
            send(ctx, 200, bridges.create(param(ctx, "bridgeId"), param(ctx, "type"), param(ctx, "name")))));
        router.post("/ari/bridges/:id").handler(h(ctx ->
            send(ctx, 200, bridges.create(id(ctx), param(ctx, "type"), param(ctx, "name")))));
        router.get("/ari/bridges/:id").handler(h(ctx -> send(ctx, 200, bridges.bridge(id(ctx)).json())));
        router.delete("/ari/bridges/:id").handler(h(ctx -> {
            bridges.destroy(bridges.bridge(id(ctx)));
            send(ctx, 204, null);
        }));
        router.post("/ari/bridges/:id/addChannel").handler(h(ctx -> {
            Bridges.Bridge bridge = bridges.bridge(id(ctx));
            bridges.add(bridge, channelList(ctx));
            send(ctx, 204, null);
        }));
        router.post("/ari/bridges/:id/removeChannel").handler(h(ctx -> {
            Bridges.Bridge bridge = bridges.bridge(id(ctx));
            bridges.remove(bridge, channelList(ctx));
            send(ctx, 204, null);
        }));
    }

    private void mountApplications(Router router) {
        router.get("/ari/asterisk/info").handler(h(ctx -> send(ctx, 200, new JsonObject()
            .put("build", new JsonObject().put("os", "Linux").put("kernel", "sandbox").put("machine", "x86_64")
                .put("options", "").put("date", "").put("user", "sandbox"))
            .put("system", new JsonObject().put("version", "22.10.1").put("entity_id", engine.asteriskId))
            .put("config", new JsonObject().put("name", "sandbox").put("default_language", "en"))
            .put("status", new JsonObject().put("startup_time", engine.timestamp())
                .put("last_reload_time", engine.timestamp())))));
        router.get("/ari/asterisk/modules").handler(h(ctx -> send(ctx, 200, engine.modules.list())));
        router.get("/ari/asterisk/modules/:name").handler(h(ctx ->
            send(ctx, 200, engine.modules.get(ctx.pathParam("name")))));
        router.get("/ari/applications").handler(h(ctx -> {
            JsonArray out = new JsonArray();
            engine.apps.all().forEach(app -> out.add(engine.apps.json(app)));
            send(ctx, 200, out);
        }));
        router.get("/ari/applications/:app").handler(h(ctx -> send(ctx, 200, engine.apps.json(app(ctx)))));
        router.put("/ari/applications/:app/eventFilter").handler(h(ctx -> {
            Apps.App app = app(ctx);
            try {
                Apps.filter(app, body(ctx));
            } catch (IllegalArgumentException e) {
                throw new Engine.AriError(400, "Invalid format definition");
            }
            send(ctx, 200, engine.apps.json(app));
        }));
        router.post("/ari/applications/:app/subscription").handler(h(ctx -> {
            Apps.App app = app(ctx);
            for (String source : eventSources(ctx)) {
                if (source.startsWith("endpoint:")) {
                    app.endpoints.add(sourceEndpoint(source).ref());
                } else {
                    engine.subscribe(sourceChannel(source), app.name);
                }
            }
            send(ctx, 200, engine.apps.json(app));
        }));
        router.delete("/ari/applications/:app/subscription").handler(h(ctx -> {
            Apps.App app = app(ctx);
            for (String source : eventSources(ctx)) {
                if (source.startsWith("endpoint:")) {
                    app.endpoints.remove(sourceEndpoint(source).ref());
                } else {
                    engine.unsubscribe(sourceChannel(source), app.name);
                }
            }
            send(ctx, 200, engine.apps.json(app));
        }));
        router.get("/ari/endpoints").handler(h(ctx -> send(ctx, 200, engine.endpoints.list())));
        router.get("/ari/endpoints/:tech").handler(h(ctx ->
            send(ctx, 200, engine.endpoints.listByTech(ctx.pathParam("tech")))));
        router.get("/ari/endpoints/:tech/:resource").handler(h(ctx ->
            send(ctx, 200, engine.endpoints.get(ctx.pathParam("tech"), ctx.pathParam("resource")).json())));
    }

    private Apps.App app(RoutingContext ctx) {
        Apps.App app = engine.apps.get(ctx.pathParam("app"));
        if (app == null) {
            throw new Engine.AriError(404, "Application not found");
        }
        return app;
    }

    private List<String> eventSources(RoutingContext ctx) {
        String sources = param(ctx, "eventSource");
        if (sources == null || sources.isEmpty()) {
            throw new Engine.AriError(400, "Missing parameter eventSource");
        }
        return Arrays.asList(sources.split(","));
    }

    private Endpoints.Endpoint sourceEndpoint(String source) {
        String ref = source.substring("endpoint:".length());
        int slash = ref.indexOf('/');
        Endpoints.Endpoint ep = slash <= 0 ? null
            : engine.endpoints.find(ref.substring(0, slash), ref.substring(slash + 1));
        if (ep == null) {
            throw new Engine.AriError(422, "Provided event source was not found");
        }
        return ep;
    }

    private Channel sourceChannel(String source) {
        Channel ch = source.startsWith("channel:") ? engine.channels.get(source.substring("channel:".length())) : null;
        if (ch == null) {
            throw new Engine.AriError(422, "Provided event source was not found");
        }
        return ch;
    }

    private void originate(RoutingContext ctx) {
        engine.log.originate(System.nanoTime(), param(ctx, "endpoint"));
        Map<String, String> variables = new LinkedHashMap<>();
        JsonObject body = body(ctx);
        if (body != null && body.getValue("variables") instanceof JsonObject) {
            body.getJsonObject("variables").forEach(e -> variables.put(e.getKey(), String.valueOf(e.getValue())));
        }
        String channelId = ctx.pathParam("id") != null ? ctx.pathParam("id") : param(ctx, "channelId");
        long timeout = parseLong(param(ctx, "timeout"), 30, "timeout");
        String priority = param(ctx, "priority");
        Engine.Originate req = new Engine.Originate(param(ctx, "endpoint"), param(ctx, "app"), param(ctx, "appArgs"),
            param(ctx, "context"), param(ctx, "extension"), (int) parseLong(priority, 1, "priority"), channelId,
            param(ctx, "otherChannelId"), timeout < 0 ? -1 : (timeout == 0 ? 30 : timeout) * 1000, param(ctx, "callerId"),
            variables);
        send(ctx, 200, engine.originate(req));
    }

    private void play(RoutingContext ctx, String playbackId) {
        Channel ch = engine.stasisChannel(id(ctx));
        List<String> mediaUris = new ArrayList<>();
        for (String value : ctx.queryParam("media")) {
            mediaUris.addAll(Arrays.asList(value.split(",")));
        }
        JsonObject body = body(ctx);
        if (mediaUris.isEmpty() && body != null && body.getValue("media") != null) {
            Object value = body.getValue("media");
            if (value instanceof JsonArray) {
                ((JsonArray) value).forEach(v -> mediaUris.add(String.valueOf(v)));
            } else {
                mediaUris.addAll(Arrays.asList(String.valueOf(value).split(",")));
            }
        }
        String id = playbackId != null ? playbackId : param(ctx, "playbackId");
        send(ctx, 201, media.play(ch, id, mediaUris));
    }

    private void record(RoutingContext ctx) {
        Channel ch = engine.stasisChannel(id(ctx));
        JsonObject reply = media.record(ch, param(ctx, "name"), param(ctx, "format"),
            parseLong(param(ctx, "maxDurationSeconds"), 0, "maxDurationSeconds"),
            parseLong(param(ctx, "maxSilenceSeconds"), 0, "maxSilenceSeconds"), "true".equals(param(ctx, "beep")),
            param(ctx, "terminateOn"), param(ctx, "ifExists"));
        send(ctx, 201, reply);
    }

    private static int hangupCause(RoutingContext ctx) {
        String code = ctx.queryParams().get("reason_code");
        if (code != null) {
            return (int) parseLong(code, 16, "reason_code");
        }
        String reason = ctx.queryParams().get("reason");
        if (reason == null) {
            return 16;
        }
        switch (reason) {
            case "busy":
                return 17;
            case "congestion":
                return 34;
            case "no_answer":
                return 19;
            case "timeout":
                return 19;
            case "rejected":
                return 21;
            case "unallocated":
                return 1;
            case "normal_unspecified":
                return 31;
            case "number_incomplete":
                return 28;
            case "codec_mismatch":
                return 58;
            case "interworking":
                return 127;
            case "failure":
                return 38;
            case "answered_elsewhere":
                return 26;
            case "normal":
            default:
                return 16;
        }
    }

    private static List<String> channelList(RoutingContext ctx) {
        String value = param(ctx, "channel");
        if (value == null || value.isEmpty()) {
            throw new Engine.AriError(400, "Missing parameter channel");
        }
        return Arrays.asList(value.split(","));
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    private static final String BODY = "sandbox.body";

    /** The JSON body, parsed once per request; null when there is none. */
    private static JsonObject body(RoutingContext ctx) {
        if (ctx.data().containsKey(BODY)) {
            return ctx.get(BODY);
        }
        JsonObject body;
        try {
            body = ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            throw new Engine.AriError(400, "Request body is not a JSON object: " + e.getMessage());
        }
        ctx.put(BODY, body);
        return body;
    }

    /** A query parameter, else a field of the JSON body (ARI accepts both). */
    static String param(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value != null) {
            return value;
        }
        JsonObject body = body(ctx);
        Object field = body == null ? null : body.getValue(name);
        return field == null || field instanceof JsonObject ? null : String.valueOf(field);
    }

    private static long parseLong(String value, long fallback, String name) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Engine.AriError(400, name + " \"" + value + "\" is not a whole number");
        }
    }

    /** Wraps a route: remembers how many events were written so the reply can follow them on the wire. */
    private Handler<RoutingContext> h(Handler<RoutingContext> route) {
        return ctx -> {
            ctx.put(WRITES, engine.apps.writes());
            try {
                route.handle(ctx);
            } catch (Engine.AriError e) {
                send(ctx, e.status, e.body);
            }
        };
    }

    /** Replies after the events this request caused have been written to the websocket (as Asterisk does). */
    private void send(RoutingContext ctx, int status, Object body) {
        Long before = ctx.get(WRITES);
        Runnable reply = () -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                return;
            }
            ctx.response().setStatusCode(status);
            if (body == null) {
                ctx.response().end();
            } else {
                ctx.response().putHeader("Content-Type", "application/json")
                    .end(body instanceof JsonObject ? ((JsonObject) body).encode() : ((JsonArray) body).encode());
            }
        };
        if (before != null && before != engine.apps.writes()) {
            engine.apps.lastWrite().onComplete(x -> reply.run());
        } else {
            reply.run();
        }
    }
}

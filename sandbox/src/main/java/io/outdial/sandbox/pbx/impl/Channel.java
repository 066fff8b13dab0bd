package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** One Asterisk channel: a Local half or a trunk channel. Mutated on the PBX context only. */
final class Channel {

    final String id;
    final String name;
    final Call call;
    /** True for the ;2 half of a Local channel (the one running the callee dialplan). */
    final boolean dialplanSide;
    final String creationtime;

    String state = "Down";
    String callerName = "";
    String callerNumber = "";
    String connectedName = "";
    String connectedNumber = "";
    String context;
    String exten;
    int priority = 1;
    String appName = "";
    String appData = "";

    /** App subscribed to this channel (app= originate or an explicit subscription). */
    String app;
    /** App whose Stasis() this channel is in, null when not in Stasis. */
    String stasisApp;
    String bridgeId;
    /** The device endpoint of a trunk channel (null for Local channels). */
    Endpoints.Endpoint endpoint;
    ArrayDeque<Playback> playbacks;
    Recording recording;
    boolean destroyed;
    private Map<String, String> variables;

    Channel(String id, String name, Call call, boolean dialplanSide, String creationtime) {
        this.id = id;
        this.name = name;
        this.call = call;
        this.dialplanSide = dialplanSide;
        this.creationtime = creationtime;
    }

    /** The app that receives this channel's events, or null. */
    String eventApp() {
        return app != null ? app : stasisApp;
    }

    boolean inStasis() {
        return stasisApp != null;
    }

    Map<String, String> variables() {
        if (variables == null) {
            variables = new HashMap<>(4);
        }
        return variables;
    }

    String variable(String key) {
        return variables == null ? null : variables.get(key);
    }

    void dialplan(String ctx, String ext, int prio, String app, String data) {
        context = ctx;
        exten = ext;
        priority = prio;
        appName = app;
        appData = data;
    }

    JsonObject snapshot() {
        return snapshot(appName, appData);
    }

    JsonObject snapshot(String dialplanApp, String dialplanData) {
        return new JsonObject()
            .put("id", id)
            .put("name", name)
            .put("state", state)
            .put("protocol_id", "")
            .put("caller", new JsonObject().put("name", callerName).put("number", callerNumber))
            .put("connected", new JsonObject().put("name", connectedName).put("number", connectedNumber))
            .put("accountcode", "")
            .put("dialplan", new JsonObject().put("context", context).put("exten", exten).put("priority", priority)
                .put("app_name", dialplanApp).put("app_data", dialplanData))
            .put("creationtime", creationtime)
            .put("language", "en");
    }

    static JsonArray ids(Iterable<Channel> channels) {
        JsonArray out = new JsonArray();
        channels.forEach(c -> out.add(c.id));
        return out;
    }
}

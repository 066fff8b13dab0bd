package io.outdial.sandbox.pbx.impl;

import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARI applications: one events websocket per app name (the newest wins, the old one gets ApplicationReplaced),
 * the channels each app owns, and event delivery. An app is registered while its websocket is open or while it
 * owns channels; events for an app without a websocket are dropped (nothing is replayed).
 */
final class Apps {

    private static final Logger LOG = LoggerFactory.getLogger(Apps.class);

    static final class App {
        final String name;
        ServerWebSocket ws;
        final Set<Channel> channels = new LinkedHashSet<>();
        final Set<String> bridges = new LinkedHashSet<>();
        /** Endpoint subscriptions ({@code TECH/resource}). */
        final Set<String> endpoints = new LinkedHashSet<>();
        /** Connected with {@code subscribeAll=true}: sees the events of every channel, bridge and endpoint. */
        boolean subscribeAll;
        /** The event filter ({@code PUT /applications/{app}/eventFilter}): types sent (empty: all), never sent. */
        List<String> allowed = List.of();
        List<String> disallowed = List.of();

        App(String name) {
            this.name = name;
        }

        /** Whether the app's event filter lets an event of {@code type} through (disallowed wins over allowed). */
        boolean allows(String type) {
            return !disallowed.contains(type) && (allowed.isEmpty() || allowed.contains(type));
        }
    }

    private final Map<String, App> apps = new HashMap<>();
    private final String asteriskId;
    private final Clock clock;
    private volatile Set<String> names = Set.of();
    private Future<Void> lastWrite = Future.succeededFuture();
    private long writes;

    /** Minimal view of the PBX clock for timestamps. */
    interface Clock {
        String timestamp();
    }

    Apps(String asteriskId, Clock clock) {
        this.asteriskId = asteriskId;
        this.clock = clock;
    }

    /** Registered app names; safe to read from any thread. */
    Set<String> names() {
        return names;
    }

    boolean registered(String name) {
        return apps.containsKey(name);
    }

    App get(String name) {
        return apps.get(name);
    }

    List<App> all() {
        return new ArrayList<>(apps.values());
    }

    /**
     * A websocket connected for {@code names}: it takes those apps over. With {@code subscribeAll} (the
     * {@code subscribeAll=true} query parameter) the apps are subscribed to every event source, as Asterisk does.
     */
    void connect(List<String> names, ServerWebSocket ws, boolean subscribeAll) {
        names.forEach(name -> connect(name, ws, subscribeAll));
        ws.closeHandler(v -> names.forEach(name -> disconnected(name, ws)));
    }

    private void connect(String name, ServerWebSocket ws, boolean subscribeAll) {
        App app = apps.computeIfAbsent(name, App::new);
        names = Set.copyOf(apps.keySet());
        ServerWebSocket previous = app.ws;
        app.ws = ws;
        app.subscribeAll = subscribeAll;
        if (previous != null && app.allows("ApplicationReplaced")) {
            LOG.info("app {} replaced by a new websocket; the old one gets ApplicationReplaced", name);
            previous.writeTextMessage(new JsonObject().put("type", "ApplicationReplaced")
                .put("timestamp", clock.timestamp()).put("application", name).put("asterisk_id", asteriskId)
                .encode());
        }
    }

    private void disconnected(String name, ServerWebSocket ws) {
        App app = apps.get(name);
        if (app != null && app.ws == ws) {
            app.ws = null;
            LOG.info("app {} websocket closed; {} channels owned", name, app.channels.size());
            dropIfUnused(app);
        }
    }

    /** Closes every websocket from the server side. */
    void closeAll() {
        for (App app : all()) {
            if (app.ws != null) {
                ServerWebSocket ws = app.ws;
                app.ws = null;
                ws.close();
                dropIfUnused(app);
            }
        }
    }

    void attach(Channel channel, String name) {
        App app = apps.get(name);
        if (app != null) {
            app.channels.add(channel);
        }
    }

    /** Forgets {@code channel} for apps it no longer belongs to. */
    void detach(Channel channel, String name) {
        App app = apps.get(name);
        if (app != null && !name.equals(channel.app) && !name.equals(channel.stasisApp)) {
            app.channels.remove(channel);
            dropIfUnused(app);
        }
    }

    void detachAll(Channel channel) {
        for (App app : all()) {
            if (app.channels.remove(channel)) {
                dropIfUnused(app);
            }
        }
    }

    private void dropIfUnused(App app) {
        if (app.ws == null && app.channels.isEmpty()) {
            apps.remove(app.name);
            names = Set.copyOf(apps.keySet());
            LOG.info("app {} deregistered", app.name);
        }
    }

    /** Whether events for app {@code name} would reach a websocket now. */
    boolean listening(String name) {
        App app = name == null ? null : apps.get(name);
        return app != null && app.ws != null;
    }

    /**
     * Sends {@code event} to app {@code name} if it has a websocket, and a copy to every app subscribed to all
     * event sources; adds type-independent fields.
     */
    void deliver(String name, JsonObject event) {
        observe(name == null ? Set.of() : Set.of(name), event);
        deliverOnly(name, event);
    }

    /** Whether some connected app is subscribed to every event source. */
    boolean observed() {
        for (App app : apps.values()) {
            if (app.subscribeAll && app.ws != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends a copy of {@code event} to every connected app subscribed to all event sources, except the apps in
     * {@code got} (they receive it as owners or subscribers). StasisStart, StasisEnd and ApplicationReplaced go
     * to their own app only: Asterisk sends them to the app, not through the channel's topic.
     */
    void observe(Set<String> got, JsonObject event) {
        String type = event.getString("type");
        if ("StasisStart".equals(type) || "StasisEnd".equals(type) || "ApplicationReplaced".equals(type)) {
            return;
        }
        for (App app : apps.values()) {
            if (app.subscribeAll && app.ws != null && !got.contains(app.name)) {
                deliverOnly(app.name, event.copy());
            }
        }
    }

    /** Sends {@code event} to app {@code name} only, if it has a websocket. */
    void deliverOnly(String name, JsonObject event) {
        if (name == null) {
            return;
        }
        App app = apps.get(name);
        if (app == null || app.ws == null || !app.allows(event.getString("type"))) {
            return;
        }
        event.put("asterisk_id", asteriskId).put("application", name);
        writes++;
        lastWrite = app.ws.writeTextMessage(event.encode());
    }

    long writes() {
        return writes;
    }

    Future<Void> lastWrite() {
        return lastWrite;
    }

    JsonObject json(App app) {
        return new JsonObject().put("name", app.name).put("channel_ids", Channel.ids(app.channels))
            .put("bridge_ids", new JsonArray(new ArrayList<>(app.bridges))).put("endpoint_ids", new JsonArray(new ArrayList<>(app.endpoints)))
            .put("device_names", new JsonArray()).put("events_allowed", types(app.allowed))
            .put("events_disallowed", types(app.disallowed));
    }

    private static JsonArray types(List<String> types) {
        JsonArray out = new JsonArray();
        types.forEach(t -> out.add(new JsonObject().put("type", t)));
        return out;
    }

    /**
     * Sets {@code app}'s event filter from the body of {@code PUT /applications/{app}/eventFilter}, as Asterisk
     * does: no body (or an empty object) clears both lists; a list given replaces that list (an empty array
     * empties it), a list not given is kept; each list is an array of objects with a string {@code type}.
     *
     * @throws IllegalArgumentException when a given list is not such an array
     */
    static void filter(App app, JsonObject body) {
        if (body == null || body.isEmpty()) {
            app.allowed = List.of();
            app.disallowed = List.of();
            return;
        }
        List<String> allowed = body.containsKey("allowed") ? typeList(body.getValue("allowed")) : app.allowed;
        List<String> disallowed = body.containsKey("disallowed") ? typeList(body.getValue("disallowed"))
            : app.disallowed;
        app.allowed = allowed;
        app.disallowed = disallowed;
    }

    private static List<String> typeList(Object list) {
        if (!(list instanceof JsonArray array)) {
            throw new IllegalArgumentException("an event filter list must be an array");
        }
        List<String> types = new ArrayList<>();
        for (Object o : array) {
            if (!(o instanceof JsonObject entry) || !(entry.getValue("type") instanceof String type)) {
                throw new IllegalArgumentException("each event filter entry must be an object with a string type");
            }
            types.add(type);
        }
        return List.copyOf(types);
    }
}

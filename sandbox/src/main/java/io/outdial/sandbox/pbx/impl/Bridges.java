package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stasis bridges: created by the app (no BridgeCreated event), never cleaned up by themselves, BRIDGEPEER set on
 * two-party bridges, BridgeDestroyed only on DELETE. Bridge events go to the apps whose channels entered it.
 */
final class Bridges {

    static final class Bridge {
        final String id;
        final String type;
        final String name;
        final String creationtime;
        final Set<Channel> channels = new LinkedHashSet<>();
        final Set<String> apps = new LinkedHashSet<>();

        Bridge(String id, String type, String name, String creationtime) {
            this.id = id;
            this.type = type;
            this.name = name;
            this.creationtime = creationtime;
        }

        JsonObject json() {
            String technology = "holding".equals(type) ? "holding_bridge"
                : channels.size() > 2 ? "softmix" : "simple_bridge";
            return new JsonObject().put("id", id).put("technology", technology).put("bridge_type", type)
                .put("bridge_class", "stasis").put("creator", "Stasis").put("name", name)
                .put("channels", Channel.ids(channels)).put("creationtime", creationtime).put("video_mode", "talker");
        }
    }

    private final Engine engine;
    private final Map<String, Bridge> bridges = new LinkedHashMap<>();

    Bridges(Engine engine) {
        this.engine = engine;
    }

    JsonObject create(String id, String type, String name) {
        String bridgeId = id != null ? id : UUID.randomUUID().toString();
        Bridge existing = bridges.get(bridgeId);
        if (existing != null) {
            return existing.json();
        }
        String kind = type == null || type.isEmpty() ? "mixing" : type.split(",")[0];
        Bridge bridge = new Bridge(bridgeId, kind, name == null ? "" : name, engine.timestamp());
        bridges.put(bridgeId, bridge);
        return bridge.json();
    }

    Bridge bridge(String id) {
        Bridge bridge = bridges.get(id);
        if (bridge == null) {
            throw new Engine.AriError(404, "Bridge not found");
        }
        return bridge;
    }

    JsonArray list() {
        JsonArray out = new JsonArray();
        bridges.values().forEach(b -> out.add(b.json()));
        return out;
    }

    void add(Bridge bridge, List<String> channelIds) {
        List<Channel> joining = new ArrayList<>();
        for (String id : channelIds) {
            Channel ch = engine.channels.get(id);
            if (ch == null) {
                throw new Engine.AriError(400, "Channel not found");
            }
            if (!ch.inStasis()) {
                throw new Engine.AriError(422, "Channel not in Stasis application");
            }
            joining.add(ch);
        }
        for (Channel ch : joining) {
            if (bridge.id.equals(ch.bridgeId)) {
                continue;
            }
            if (ch.bridgeId != null) {
                leave(ch);
            }
            bridge.channels.add(ch);
            ch.bridgeId = bridge.id;
            String app = ch.eventApp();
            if (app != null) {
                bridge.apps.add(app);
                Apps.App registered = engine.apps.get(app);
                if (registered != null) {
                    registered.bridges.add(bridge.id);
                }
            }
            deliver(bridge, engine.event("ChannelEnteredBridge").put("bridge", bridge.json())
                .put("channel", ch.snapshot()));
            if (bridge.channels.size() == 2) {
                Channel[] pair = bridge.channels.toArray(new Channel[0]);
                engine.setVariable(pair[0], "BRIDGEPEER", pair[1].name);
                engine.setVariable(pair[1], "BRIDGEPEER", pair[0].name);
            }
        }
    }

    void remove(Bridge bridge, List<String> channelIds) {
        for (String id : channelIds) {
            Channel ch = engine.channels.get(id);
            if (ch == null) {
                throw new Engine.AriError(400, "Channel not found");
            }
            if (!bridge.id.equals(ch.bridgeId)) {
                throw new Engine.AriError(422, "Channel not in this bridge");
            }
        }
        channelIds.forEach(id -> leave(engine.channels.get(id)));
    }

    /** {@code ch} leaves its bridge: BRIDGEPEER cleared, then ChannelLeftBridge. */
    void leave(Channel ch) {
        Bridge bridge = bridges.get(ch.bridgeId);
        ch.bridgeId = null;
        if (bridge == null) {
            return;
        }
        if (ch.variable("BRIDGEPEER") != null) {
            engine.setVariable(ch, "BRIDGEPEER", "");
        }
        bridge.channels.remove(ch);
        deliver(bridge, engine.event("ChannelLeftBridge").put("bridge", bridge.json()).put("channel", ch.snapshot()));
    }

    void destroy(Bridge bridge) {
        for (Channel ch : List.copyOf(bridge.channels)) {
            leave(ch);
        }
        bridges.remove(bridge.id);
        deliver(bridge, engine.event("BridgeDestroyed").put("bridge", bridge.json()));
        for (String app : bridge.apps) {
            Apps.App registered = engine.apps.get(app);
            if (registered != null) {
                registered.bridges.remove(bridge.id);
            }
        }
    }

    void clear() {
        bridges.clear();
    }

    private void deliver(Bridge bridge, JsonObject event) {
        engine.apps.observe(Set.copyOf(bridge.apps), event);
        for (String app : bridge.apps) {
            engine.apps.deliverOnly(app, event.copy());
        }
    }
}

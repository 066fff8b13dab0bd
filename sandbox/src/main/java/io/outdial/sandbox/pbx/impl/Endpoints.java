package io.outdial.sandbox.pbx.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The PBX's device endpoints ({@code TECH/resource}, e.g. {@code PJSIP/carrier}), as Asterisk keeps them: a state
 * ("unknown", "offline", "online") and the ids of the channels on the endpoint. Like Asterisk, an app subscribed to
 * {@code endpoint:TECH/resource} gets an {@code EndpointStateChange} on every change of the endpoint's snapshot (state
 * or channel list) and, because Asterisk forwards each channel's topic to its endpoint's topic, every event of the
 * endpoint's channels, from their creation on. An app also subscribed to such a channel directly gets those events
 * twice (once per forward), as a real Asterisk delivers them. Runs on the PBX context only.
 */
final class Endpoints {

    /** Endpoints every sandbox starts with. */
    static final Map<String, String> DEFAULTS = Map.of("PJSIP/carrier", "online");
    /** Technologies the sandbox dials (for {@code GET /endpoints/{tech}}). */
    static final List<String> TECHS = List.of("PJSIP", "SIP", "IAX2");

    static final class Endpoint {
        final String technology;
        final String resource;
        String state;
        final Set<Channel> channels = new LinkedHashSet<>();

        Endpoint(String technology, String resource, String state) {
            this.technology = technology;
            this.resource = resource;
            this.state = state;
        }

        String ref() {
            return technology + "/" + resource;
        }

        JsonObject json() {
            return new JsonObject().put("technology", technology).put("resource", resource).put("state", state)
                .put("channel_ids", Channel.ids(channels));
        }
    }

    private final Engine engine;
    private final Map<String, Endpoint> byRef = new LinkedHashMap<>();

    Endpoints(Engine engine) {
        this.engine = engine;
        reset();
    }

    /** Back to {@link #DEFAULTS} (faults cleared). Channels on kept endpoints stay. */
    void reset() {
        byRef.keySet().removeIf(ref -> !DEFAULTS.containsKey(ref));
        DEFAULTS.forEach((ref, state) -> setState(ref, state));
    }

    static String key(String technology, String resource) {
        return technology.toUpperCase(Locale.ROOT) + "/" + resource;
    }

    Endpoint find(String technology, String resource) {
        return byRef.get(key(technology, resource));
    }

    /** GET /endpoints/{tech}/{resource}. */
    Endpoint get(String technology, String resource) {
        Endpoint ep = find(technology, resource);
        if (ep == null) {
            throw new Engine.AriError(404, "Endpoint not found");
        }
        return ep;
    }

    /** GET /endpoints. */
    JsonArray list() {
        JsonArray out = new JsonArray();
        byRef.values().forEach(ep -> out.add(ep.json()));
        return out;
    }

    /** GET /endpoints/{tech}. */
    JsonArray listByTech(String technology) {
        if (TECHS.stream().noneMatch(t -> t.equalsIgnoreCase(technology))) {
            throw new Engine.AriError(404, "No Endpoints found - invalid tech " + technology);
        }
        JsonArray out = new JsonArray();
        byRef.values().stream().filter(ep -> ep.technology.equalsIgnoreCase(technology))
            .forEach(ep -> out.add(ep.json()));
        return out;
    }

    /** Creates the endpoint if needed and sets its state ("online", "offline" or "unknown"). */
    void setState(String ref, String state) {
        if (!List.of("online", "offline", "unknown").contains(state)) {
            throw new IllegalArgumentException("endpoint state " + state + " must be online, offline or unknown");
        }
        int slash = ref.indexOf('/');
        if (slash <= 0 || slash == ref.length() - 1) {
            throw new IllegalArgumentException("endpoint " + ref + " must look like TECH/resource");
        }
        String k = key(ref.substring(0, slash), ref.substring(slash + 1));
        Endpoint ep = byRef.get(k);
        if (ep == null) {
            byRef.put(k, new Endpoint(k.substring(0, slash), ref.substring(slash + 1), state));
            return;
        }
        if (!ep.state.equals(state)) {
            ep.state = state;
            publish(ep);
        }
    }

    /** Removes an endpoint (as if deleted from pjsip.conf and reloaded); subscriptions to it end. */
    void remove(String ref) {
        int slash = ref.indexOf('/');
        Endpoint ep = slash <= 0 ? null : byRef.remove(key(ref.substring(0, slash), ref.substring(slash + 1)));
        if (ep != null) {
            engine.apps.all().forEach(app -> app.endpoints.remove(ep.ref()));
        }
    }

    /** A trunk channel was created on {@code ep}: subscribers see ChannelCreated, then the endpoint's new snapshot. */
    void addChannel(Endpoint ep, Channel ch) {
        ch.endpoint = ep;
        ep.channels.add(ch);
        JsonObject created = engine.event("ChannelCreated").put("channel", ch.snapshot());
        engine.apps.observe(Set.copyOf(subscribers(ep)), created);
        for (String app : subscribers(ep)) {
            engine.apps.deliverOnly(app, created.copy());
        }
        publish(ep);
    }

    /** A channel on an endpoint was destroyed. */
    void removeChannel(Channel ch) {
        Endpoint ep = ch.endpoint;
        if (ep != null && ep.channels.remove(ch)) {
            publish(ep);
        }
    }

    /** Whether some app would get {@code ch}'s events through its endpoint. */
    boolean forwarded(Channel ch) {
        return ch.endpoint != null && !subscribers(ch.endpoint).isEmpty();
    }

    /** Delivers a channel event (already delivered to the channel's own app) to the endpoint's subscribers. */
    void forward(Channel ch, JsonObject event) {
        if (ch.endpoint == null) {
            return;
        }
        for (String app : subscribers(ch.endpoint)) {
            engine.apps.deliverOnly(app, event.copy());
        }
    }

    private void publish(Endpoint ep) {
        JsonObject change = engine.event("EndpointStateChange").put("endpoint", ep.json());
        engine.apps.observe(Set.copyOf(subscribers(ep)), change);
        for (String app : subscribers(ep)) {
            engine.apps.deliverOnly(app, change.copy());
        }
    }

    private List<String> subscribers(Endpoint ep) {
        List<String> out = new ArrayList<>(1);
        for (Apps.App app : engine.apps.all()) {
            if (app.endpoints.contains(ep.ref()) && app.ws != null) {
                out.add(app.name);
            }
        }
        return out;
    }
}

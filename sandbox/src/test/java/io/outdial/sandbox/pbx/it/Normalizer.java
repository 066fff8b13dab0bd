package io.outdial.sandbox.pbx.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes two logs comparable: channel ids and names become labels by order of first appearance ("A;1" is the
 * first call's originated half, "A;2" its dialplan half), playback ids become "P0", "P1"..., timestamps go.
 */
final class Normalizer {

    private static final Pattern CHANNEL_NAME = Pattern.compile("^(Local|PJSIP|SIP|IAX2)/.*");
    private static final Set<String> DROPPED = Set.of("timestamp", "creationtime", "startup_time", "last_reload_time");

    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, String> calls = new LinkedHashMap<>();
    private final Map<String, String> playbacks = new HashMap<>();
    private final String mediaPort;

    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<LogItem, Integer> positions = new java.util.IdentityHashMap<>();

    Normalizer(List<LogItem> log, String mediaPort) {
        this.mediaPort = mediaPort;
        log.forEach(this::observe);
    }

    /** Learns the labels in {@code item} and its position in its stream; call in arrival order. */
    void observe(LogItem item) {
        scan(item.body());
        if (item.isEvent()) {
            positions.put(item, counts.merge(stream(item), 1, Integer::sum) - 1);
        }
    }

    /** How many events of {@code stream} were observed. */
    int count(String stream) {
        return counts.getOrDefault(stream, 0);
    }

    /** Position of an observed event in its stream. */
    int position(LogItem event) {
        return positions.get(event);
    }

    private void scan(Object value) {
        if (value instanceof JsonObject) {
            JsonObject o = (JsonObject) value;
            String id = o.getValue("id") instanceof String ? o.getString("id") : null;
            String name = o.getValue("name") instanceof String ? o.getString("name") : null;
            if (id != null && name != null && CHANNEL_NAME.matcher(name).matches()) {
                String half = name.endsWith(";1") ? ";1" : name.endsWith(";2") ? ";2" : "";
                String base = half.isEmpty() ? name : name.substring(0, name.length() - 2);
                String letter = calls.computeIfAbsent(base, b -> String.valueOf((char) ('A' + calls.size())));
                labels.putIfAbsent(id, letter + half);
                labels.putIfAbsent(name, letter + half);
            }
            if (id != null && o.containsKey("media_uri")) {
                playbacks.computeIfAbsent(id, k -> "P" + playbacks.size());
            }
            o.forEach(e -> scan(e.getValue()));
        } else if (value instanceof JsonArray) {
            ((JsonArray) value).forEach(this::scan);
        }
    }

    Object normalize(Object value) {
        if (value instanceof JsonObject) {
            JsonObject in = (JsonObject) value;
            JsonObject out = new JsonObject();
            in.fieldNames().stream().sorted().filter(k -> !DROPPED.contains(k))
                .forEach(k -> out.put(k, normalize(in.getValue(k))));
            return out;
        }
        if (value instanceof JsonArray) {
            JsonArray out = new JsonArray();
            ((JsonArray) value).forEach(v -> out.add(normalize(v)));
            return out;
        }
        if (value instanceof String) {
            String s = (String) value;
            if (labels.containsKey(s)) {
                return labels.get(s);
            }
            if (playbacks.containsKey(s)) {
                return playbacks.get(s);
            }
            if (s.startsWith("channel:") && labels.containsKey(s.substring(8))) {
                return "channel:" + labels.get(s.substring(8));
            }
            return mediaPort == null ? s : s.replace(":" + mediaPort + "/", ":18080/");
        }
        return value;
    }

    /** Which per-channel stream an event belongs to: its channel (or Dial peer, or playback/recording target). */
    String stream(LogItem item) {
        JsonObject e = (JsonObject) item.body();
        String label = null;
        if (e.getJsonObject("channel") != null) {
            label = labels.get(e.getJsonObject("channel").getString("id"));
        } else if (e.getJsonObject("peer") != null) {
            label = labels.get(e.getJsonObject("peer").getString("id"));
        } else if (e.getJsonObject("playback") != null) {
            label = labels.get(e.getJsonObject("playback").getString("target_uri").substring(8));
        } else if (e.getJsonObject("recording") != null) {
            label = labels.get(e.getJsonObject("recording").getString("target_uri").substring(8));
        } else if (e.getJsonObject("bridge") != null) {
            label = "bridge";
        }
        return "ws" + item.ws() + " " + (label == null ? "app" : label);
    }
}

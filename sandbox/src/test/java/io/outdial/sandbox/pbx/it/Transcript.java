package io.outdial.sandbox.pbx.it;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A capture from asterisk-reference/events (on the classpath): the actions the app took (REST calls and
 * websocket opens/closes, to be replayed) and everything it observed, as {@link LogItem}s.
 */
final class Transcript {

    /** An action to replay at {@code millis}: a REST call or a websocket open/close. */
    record Action(long millis, String name, String method, String path, Map<String, String> params,
                  JsonObject jsonBody, int ws, long sentMillis, boolean oldFormat) {
    }

    final String name;
    final List<Action> actions = new ArrayList<>();
    final List<LogItem> observed = new ArrayList<>();
    /** http_server access-log lines: request path to count. */
    final Map<String, Integer> mediaGets = new LinkedHashMap<>();

    private Transcript(String name) {
        this.name = name;
    }

    static Transcript load(String name) {
        Transcript transcript = new Transcript(name);
        String resource = "/asterisk-reference/events/" + name + ".jsonl";
        try (InputStream in = Transcript.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("transcript " + resource + " is not on the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    transcript.add(new JsonObject(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (transcript.actions.stream().noneMatch(a -> "ws_open".equals(a.method()))) {
            transcript.actions.add(0, new Action(2, "ws_open", "ws_open", "/ari/events?app=dialer&subscribeAll=false",
                Map.of(), null, 1, 2, true));
        }
        return transcript;
    }

    private void add(JsonObject line) {
        long millis = Math.round(line.getDouble("t") * 1000);
        int ws = line.getInteger("ws", 1);
        for (String key : line.fieldNames()) {
            if ("t".equals(key) || "ws".equals(key)) {
                continue;
            }
            Object value = line.getValue(key);
            if ("event".equals(key)) {
                observed.add(new LogItem("event", ws, ((JsonObject) value).getString("type"), 0, value, millis));
            } else if ("ws_open".equals(key) || "ws_close".equals(key)) {
                JsonObject v = (JsonObject) value;
                actions.add(new Action(millis, key, key, v.getString("path"), Map.of(), null, v.getInteger("ws"), millis,
                    false));
            } else if ("http_server".equals(key)) {
                String text = (String) value;
                int get = text.indexOf("\"GET ");
                if (get >= 0) {
                    String path = text.substring(get + 5, text.indexOf(' ', get + 5));
                    mediaGets.merge(path, 1, Integer::sum);
                }
            } else if (!"note".equals(key)) {
                addRest(millis, key, (JsonObject) value);
            }
        }
    }

    private void addRest(long millis, String name, JsonObject rest) {
        Map<String, String> params = new LinkedHashMap<>();
        JsonObject given = rest.getJsonObject("params", new JsonObject());
        given.forEach(e -> params.put(e.getKey(), String.valueOf(e.getValue())));
        String method = rest.getString("method");
        boolean oldFormat = method == null;
        long sent = Math.round(millis - rest.getDouble("ms", 0.0));
        String path = rest.getString("path");
        Object body = rest.getValue("body");
        if (method == null) {
            // Old capture format: only originate, play and hangup, with no method or path.
            if ("originate".equals(name)) {
                method = "POST";
                path = "/channels";
            } else if ("play".equals(name)) {
                JsonObject b = (JsonObject) body;
                method = "POST";
                path = "/channels/" + b.getString("target_uri").substring("channel:".length()) + "/play";
                params.put("media", b.getString("media_uri"));
            } else if ("hangup".equals(name)) {
                method = "DELETE";
                path = "/channels/" + firstOriginatedId();
                params.put("reason", "normal");
            } else {
                throw new IllegalStateException(this.name + ": unknown old-format line " + name);
            }
        }
        Object observedBody = body;
        if (body instanceof JsonObject && ((JsonObject) body).containsKey("head_hex")) {
            observedBody = binary((JsonObject) body);
        }
        actions.add(new Action(millis, name, method, path, params, rest.getJsonObject("json_body"), 0, sent,
            oldFormat));
        observed.add(new LogItem("rest", 0, name, rest.getInteger("status"), observedBody, millis));
    }

    private String firstOriginatedId() {
        for (LogItem item : observed) {
            if (item.isRest() && "originate".equals(item.name())) {
                return ((JsonObject) item.body()).getString("id");
            }
        }
        throw new IllegalStateException(name + ": hangup before any originate");
    }

    private static LogItem.Binary binary(JsonObject body) {
        byte[] head = hex(body.getString("head_hex"));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int channels = b.getShort(22);
        int rate = b.getInt(24);
        int byteRate = b.getInt(28);
        int bits = b.getShort(34);
        int data = b.getInt(40);
        return new LogItem.Binary(body.getString("content_type"), body.getInteger("bytes"), channels, rate, bits,
            (double) data / byteRate);
    }

    private static byte[] hex(String text) {
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** All capture names in the module's src/main/resources/asterisk-reference/events (tests run in the module). */
    static List<String> names() {
        try (java.util.stream.Stream<java.nio.file.Path> files =
                 java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/asterisk-reference/events"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsonl"))
                .map(n -> n.substring(0, n.length() - 6)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events an app reacts to (the others in the captures are caused by its own requests). */
    private static final java.util.Set<String> TRIGGERS = java.util.Set.of("StasisStart", "ChannelDtmfReceived",
        "ChannelDialplan", "ChannelStateChange", "Dial", "PlaybackFinished");

    /**
     * The event the app was reacting to when it took {@code action}: the latest event that arrived before the
     * request was sent (at most 20 ms before), only events an app reacts to (see TRIGGERS). Old captures have no send
     * time: there, a play reacts to the StasisStart.
     */
    LogItem trigger(Action action) {
        if (action.oldFormat()) {
            if (!"play".equals(action.name())) {
                return null;
            }
            return observed.stream().filter(i -> i.isEvent() && "StasisStart".equals(i.name())).findFirst().orElse(null);
        }
        LogItem found = null;
        for (LogItem item : observed) {
            if (item.isEvent() && item.millis() <= action.sentMillis() && action.sentMillis() - item.millis() <= 20
                && TRIGGERS.contains(item.name())) {
                found = item;
            }
        }
        return found;
    }

}

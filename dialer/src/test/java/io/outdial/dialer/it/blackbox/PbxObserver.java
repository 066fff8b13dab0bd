package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What the PBX saw, from its own side: an ARI app connected with {@code subscribeAll=true} receives every channel's
 * events whatever app placed the call. Reads originations (each originated trunk channel's first Dial), lines up,
 * each number's calls and end causes, and playbacks with their played length, on the PBX's own clock.
 */
final class PbxObserver implements AutoCloseable {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final WebSocket socket;

    PbxObserver(int port) {
        StringBuilder partial = new StringBuilder();
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ari/events?app=observer&subscribeAll=true&api_key="
                + Processes.ARI_USER + ":" + Processes.ARI_PASSWORD), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            events.add(new JsonObject(partial.toString()));
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }
                }).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static long millis(JsonObject event) {
        return OffsetDateTime.parse(event.getString("timestamp"), TS).toInstant().toEpochMilli();
    }

    /** One originated call as the PBX saw it. */
    record Call(String channel, String number, long start, Long end, List<String> dialstatus, Integer cause) { }

    /** Every originated trunk channel in order of origination. */
    List<Call> calls() {
        Map<String, String> numbers = new LinkedHashMap<>();
        Map<String, Long> starts = new HashMap<>();
        Map<String, Long> ends = new HashMap<>();
        Map<String, List<String>> statuses = new HashMap<>();
        Map<String, Integer> causes = new HashMap<>();
        for (JsonObject e : events) {
            String type = e.getString("type");
            if ("Dial".equals(type) && e.getJsonObject("peer") != null) {
                String id = e.getJsonObject("peer").getString("id");
                String dialstring = e.getString("dialstring", "");
                if (!numbers.containsKey(id)) {
                    numbers.put(id, dialstring.contains("@") ? dialstring.substring(0, dialstring.indexOf('@'))
                        : dialstring);
                    starts.put(id, millis(e));
                }
                statuses.computeIfAbsent(id, k -> new ArrayList<>()).add(e.getString("dialstatus", ""));
            } else if ("ChannelDestroyed".equals(type)) {
                String id = e.getJsonObject("channel").getString("id");
                ends.putIfAbsent(id, millis(e));
                causes.putIfAbsent(id, e.getInteger("cause"));
            }
        }
        List<Call> out = new ArrayList<>();
        numbers.forEach((id, number) -> out.add(new Call(id, number, starts.get(id), ends.get(id),
            statuses.getOrDefault(id, List.of()), causes.get(id))));
        return out;
    }

    /** The most originations in any sliding window of {@code windowMs}. */
    int mostOriginationsIn(long windowMs) {
        return io.outdial.sandbox.pbx.PbxLog.mostWithin(calls().stream().map(Call::start).sorted().toList(), windowMs);
    }

    /** The most originated channels alive at once (a channel lives from its first Dial to its ChannelDestroyed). */
    int mostLinesUp() {
        return mostLinesUp(c -> true);
    }

    /** As {@link #mostLinesUp()}, counting only the calls {@code which} takes. */
    int mostLinesUp(java.util.function.Predicate<Call> which) {
        List<long[]> marks = new ArrayList<>();
        for (Call c : calls().stream().filter(which).toList()) {
            marks.add(new long[] {c.start(), 1});
            marks.add(new long[] {c.end() == null ? Long.MAX_VALUE : c.end(), -1});
        }
        marks.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int up = 0;
        int most = 0;
        for (long[] m : marks) {
            up += (int) m[1];
            most = Math.max(most, up);
        }
        return most;
    }

    /** Calls per number. */
    Map<String, List<Call>> byNumber() {
        Map<String, List<Call>> out = new LinkedHashMap<>();
        calls().forEach(c -> out.computeIfAbsent(c.number(), k -> new ArrayList<>()).add(c));
        return out;
    }

    /**
     * One playback: its media, the channel, how it ended, how long it played (PBX clock), and whether the callee
     * pressed a key while it played or since the channel's previous prompt ended (a prompt the caller barges in on
     * may stop early, and a key pressed between two prompts is a barge-in on the next one: a gather stops its prompt
     * at once when a key is already waiting).
     */
    record Played(String channel, String media, String state, long millis, boolean keyed) { }

    /** Every playback that finished. */
    List<Played> playbacks() {
        Map<String, Long> started = new HashMap<>();
        Map<String, List<Long>> keys = new HashMap<>();
        for (JsonObject e : events) {
            if ("ChannelDtmfReceived".equals(e.getString("type")) && e.getJsonObject("channel") != null) {
                keys.computeIfAbsent(e.getJsonObject("channel").getString("id"), k -> new ArrayList<>()).add(millis(e));
            }
        }
        List<Played> out = new ArrayList<>();
        Map<String, Long> previousEnd = new HashMap<>();
        for (JsonObject e : events) {
            JsonObject pb = e.getJsonObject("playback");
            if (pb == null) {
                continue;
            }
            if ("PlaybackStarted".equals(e.getString("type"))) {
                started.put(pb.getString("id"), millis(e));
            } else if ("PlaybackFinished".equals(e.getString("type"))) {
                long from = started.getOrDefault(pb.getString("id"), millis(e));
                String target = pb.getString("target_uri", "");
                String channel = target.startsWith("channel:") ? target.substring(8) : target;
                long to = millis(e);
                long since = Math.min(from, previousEnd.getOrDefault(channel, from));
                previousEnd.put(channel, to);
                boolean keyed = keys.getOrDefault(channel, List.of()).stream().anyMatch(t -> t >= since && t <= to);
                out.add(new Played(channel, pb.getString("media_uri"), pb.getString("state"), to - from, keyed));
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null)
            .join();
    }
}

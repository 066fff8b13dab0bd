package io.outdial.dialer.flowtry;

import io.outdial.dialer.call.CallRecord;
import io.outdial.ivr.spi.FlowResult;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One live try of a flow: its events (kept, so a browser that connects late or reconnects gets them all), the
 * browsers listening to them, and the media URI of each prompt played. Events come from the call's context, the
 * routes read from theirs: every method is synchronized and short (no I/O but queued writes to the listeners).
 */
final class FlowTry {
    /** Events kept per try; a run that enters more nodes than this keeps its first events and the end. */
    static final int MAX_EVENTS = 500;

    final String id;
    final String flowId;
    final int version;
    final String owner;
    final TryLines.TryLine line;
    final String channelId;
    private final Clock clock;
    private final List<JsonObject> events = new ArrayList<>();
    private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
    private final Map<Integer, Future<String>> prompts = new HashMap<>();
    private int nextPrompt;
    private JsonObject result;
    private long seq;

    FlowTry(String id, String flowId, int version, String owner, TryLines.TryLine line, String channelId,
            Clock clock) {
        this.id = id;
        this.flowId = flowId;
        this.version = version;
        this.owner = owner;
        this.line = line;
        this.channelId = channelId;
        this.clock = clock;
    }

    /** Adds an event ({@code type} plus fields) and writes it to every listening browser. */
    synchronized void emit(String type, JsonObject fields) {
        if (events.size() >= MAX_EVENTS && !"ended".equals(type)) {
            return;
        }
        JsonObject e = fields.copy().put("seq", ++seq).put("type", type).put("at", clock.instant().toString());
        events.add(e);
        String frame = frame(e);
        for (HttpServerResponse res : List.copyOf(clients)) {
            write(res, frame);
        }
        if ("ended".equals(type)) {
            for (HttpServerResponse res : List.copyOf(clients)) {
                res.end();
            }
            clients.clear();
        }
    }

    /** A browser listens: it gets every event so far, then the new ones; the stream ends after {@code ended}. */
    synchronized void listen(HttpServerResponse res) {
        StringBuilder all = new StringBuilder("retry: 2000\n\n");
        events.forEach(e -> all.append(frame(e)));
        write(res, all.toString());
        if (ended()) {
            res.end();
            return;
        }
        clients.add(res);
        res.closeHandler(v -> drop(res));
        res.exceptionHandler(v -> drop(res));
    }

    private synchronized void drop(HttpServerResponse res) {
        clients.remove(res);
    }

    private static void write(HttpServerResponse res, String frame) {
        if (!res.ended() && !res.closed()) {
            res.write(frame);
        }
    }

    private static String frame(JsonObject e) {
        return "id: " + e.getLong("seq") + "\ndata: " + e.encode() + "\n\n";
    }

    /** Numbers a prompt whose playable URI {@code uri} will give; the browser fetches its audio by number. */
    synchronized int prompt(Future<String> uri) {
        int n = ++nextPrompt;
        if (prompts.size() < MAX_EVENTS) {
            prompts.put(n, uri);
        }
        return n;
    }

    /** The playable URI of prompt {@code n}, once resolved. */
    synchronized Optional<Future<String>> promptUri(int n) {
        return Optional.ofNullable(prompts.get(n));
    }

    /** The call ended: its outcome and the flow's result (if the flow ran). */
    void ended(CallRecord record) {
        JsonObject r = new JsonObject().put("outcome", record.outcome().kind().name())
            .put("cause", record.outcome().cause()).put("detail", record.outcome().detail());
        FlowResult f = record.flowResult();
        if (f != null) {
            r.put("completion", f.completion().name()).put("path", new JsonArray(f.path()))
                .put("answers", new JsonObject(new HashMap<>(f.answers())))
                .put("vars", new JsonObject(new HashMap<>(f.vars()))).put("goalReached", f.goalReached())
                .put("goal", f.goalName()).put("unsubscribed", f.unsubscribed()).put("endNode", f.endNode())
                .put("messages", new JsonArray(f.messages()));
        }
        synchronized (this) {
            result = r;
        }
        emit("ended", r);
    }

    synchronized boolean ended() {
        return result != null;
    }

    /** What {@code GET /api/v1/tries/{tryId}} answers. */
    synchronized JsonObject snapshot() {
        return new JsonObject().put("tryId", id).put("flowId", flowId).put("version", version)
            .put("state", result == null ? "LIVE" : "ENDED").put("result", result)
            .put("events", new JsonArray(new ArrayList<>(events)));
    }
}

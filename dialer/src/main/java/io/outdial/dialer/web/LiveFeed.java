package io.outdial.dialer.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The web UI's live supervision feed ({@code GET /api/ui/live}, Server-Sent Events). One sampler reads the
 * node's own meters (lines in use and limits per level, each campaign's live calls, contact counters, why-not-dialing
 * code, attempts by outcome, calls by state and cascade messages per minute ({@link CallsAndMessages}): all held in
 * memory, nothing touches the database) every {@link #TICK_MS} ms while
 * at least one client listens, encodes one event and writes that same buffer to every client: at most two updates a
 * second per client whatever their number. A client whose connection cannot keep up skips updates rather than
 * queueing them. Every {@link #POINT_EVERY} ticks a point joins a 15-minute history; a client that connects (or
 * reconnects, with or without {@code Last-Event-ID}) first gets a full snapshot with that history.
 */
final class LiveFeed {
    static final long TICK_MS = 500;
    /** A history point every 5 s (10 ticks): 180 points in 15 minutes. */
    static final int POINT_EVERY = 10;
    static final int HISTORY = 180;

    private final Vertx vertx;
    private final MeterRegistry registry;
    private final java.time.Clock clock;
    private final Set<HttpServerResponse> clients = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private io.vertx.core.Context context;
    private final Deque<JsonObject> history = new ArrayDeque<>();
    private long timer = -1;
    private long seq;
    private long ticks;
    private static final long RATE_WINDOW_NANOS = 10_000_000_000L;
    private final Deque<double[]> window = new ArrayDeque<>();
    private double lastAttempts = -1;
    private final Map<String, Double> lastOutcomes = new HashMap<>();
    private final Map<String, Double> minuteOutcomes = new TreeMap<>();
    private JsonObject last;
    private volatile java.util.function.UnaryOperator<JsonObject> cluster = java.util.function.UnaryOperator.identity();
    private final CallsAndMessages callsAndMessages;
    private volatile java.util.function.Consumer<RoutingContext> streamCheck = ctx -> { };

    public LiveFeed(Vertx vertx, MeterRegistry registry, java.time.Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.registry = registry;
        this.callsAndMessages = new CallsAndMessages(registry);
    }

    /** Adds the other nodes' view to every snapshot ({@code nodes}, {@code cluster}: docs/cluster.md). */
    public LiveFeed withCluster(java.util.function.UnaryOperator<JsonObject> view) {
        this.cluster = java.util.Objects.requireNonNull(view, "view");
        return this;
    }

    /**
     * Hands each stream that opens to {@code check} (the API guard's {@code endWhenRefused}: the stream is cut once
     * its credentials are revoked or lose the role).
     */
    public LiveFeed withStreamCheck(java.util.function.Consumer<RoutingContext> check) {
        this.streamCheck = java.util.Objects.requireNonNull(check, "check");
        return this;
    }

    /** Number of clients listening now. */
    public int clients() {
        return clients.size();
    }

    /** Handles {@code GET /api/ui/live} for a client that passed the API guard. */
    void open(RoutingContext ctx) {
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("X-Accel-Buffering", "no");
        streamCheck.accept(ctx);
        context().runOnContext(v -> {
            if (last == null) {
                last = sample();
            }
            JsonObject first = last.copy().put("history", new JsonArray(new java.util.ArrayList<>(history)));
            res.write("retry: 2000\n" + event(first));
            clients.add(res);
            res.closeHandler(x -> clients.remove(res));
            res.exceptionHandler(x -> clients.remove(res));
            if (timer < 0) {
                timer = vertx.setPeriodic(TICK_MS, id -> tick());
            }
        });
    }

    /** The one context the sampler runs on, whichever event loop serves a client. */
    private synchronized io.vertx.core.Context context() {
        if (context == null) {
            context = vertx.getOrCreateContext();
        }
        return context;
    }

    private void tick() {
        if (clients.isEmpty()) {
            vertx.cancelTimer(timer);
            timer = -1;
            return;
        }
        last = sample();
        Buffer buf = Buffer.buffer(event(last));
        for (HttpServerResponse c : clients.toArray(new HttpServerResponse[0])) {
            if (!c.writeQueueFull()) {
                c.write(buf);
            }
        }
    }

    private String event(JsonObject body) {
        return "id: " + (++seq) + "\ndata: " + body.encode() + "\n\n";
    }

    /** One snapshot of the node's meters (and, every {@link #POINT_EVERY} ticks, a history point). */
    JsonObject sample() {
        long now = System.nanoTime();
        JsonArray lines = new JsonArray();
        Map<String, JsonObject> limits = new TreeMap<>();
        for (Meter m : registry.find("outdial_lines_in_use").meters()) {
            if (m instanceof Gauge g) {
                String key = m.getId().getTag("level") + "/" + m.getId().getTag("name");
                limits.computeIfAbsent(key, k -> new JsonObject().put("level", m.getId().getTag("level"))
                    .put("name", m.getId().getTag("name"))).put("inUse", finite(g.value()));
            }
        }
        for (Meter m : registry.find("outdial_lines_limit").meters()) {
            if (m instanceof Gauge g) {
                String key = m.getId().getTag("level") + "/" + m.getId().getTag("name");
                JsonObject o = limits.get(key);
                if (o != null) {
                    o.put("limit", finite(g.value()));
                }
            }
        }
        limits.values().forEach(lines::add);
        Map<String, JsonObject> campaigns = new TreeMap<>();
        for (Meter m : registry.find("outdial_campaign_live_calls").meters()) {
            if (m instanceof Gauge g) {
                campaign(campaigns, m).put("liveCalls", (long) g.value());
            }
        }
        for (Meter m : registry.find("outdial_campaign_contacts").meters()) {
            if (m instanceof Gauge g) {
                JsonObject c = campaign(campaigns, m);
                JsonObject counts = c.getJsonObject("contacts");
                if (counts == null) {
                    counts = new JsonObject();
                    c.put("contacts", counts);
                }
                counts.put(m.getId().getTag("state"), (long) g.value());
            }
        }
        for (Meter m : registry.find("outdial_campaign_reason").meters()) {
            if (m instanceof Gauge g && g.value() >= 1) {
                campaign(campaigns, m).put("reason", m.getId().getTag("reason"));
            }
        }
        double attempts = 0;
        Map<String, Double> outcomes = new TreeMap<>();
        for (Meter m : registry.find("outdial_campaign_attempts").meters()) {
            if (m instanceof FunctionCounter f) {
                String outcome = m.getId().getTag("outcome");
                double v = f.count();
                attempts += v;
                outcomes.merge(outcome, v, Double::sum);
                JsonObject c = campaign(campaigns, m);
                JsonObject byOutcome = c.getJsonObject("outcomes");
                if (byOutcome == null) {
                    byOutcome = new JsonObject();
                    c.put("outcomes", byOutcome);
                }
                byOutcome.put(outcome, (long) v);
            }
        }
        // calls ended per second over the last 10 s (a tick's own count is too grainy to read)
        window.addLast(new double[] {now, attempts});
        while (window.size() > 2 && now - window.peekFirst()[0] > RATE_WINDOW_NANOS) {
            window.removeFirst();
        }
        double[] oldest = window.peekFirst();
        double perSecond = now > oldest[0] ? Math.max(0, attempts - oldest[1]) * 1e9 / (now - oldest[0]) : 0;
        outcomes.forEach((k, v) -> {
            double before = lastOutcomes.getOrDefault(k, lastAttempts < 0 ? v : 0.0);
            minuteOutcomes.merge(k, Math.max(0, v - before), Double::sum);
        });
        lastOutcomes.clear();
        lastOutcomes.putAll(outcomes);
        lastAttempts = attempts;
        long totalAttempts = Math.round(attempts);
        // answered: every outcome of a person who picked up (answered, answered_completed, answered_left_early...)
        long answered = Math.round(outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("answered"))
            .mapToDouble(Map.Entry::getValue).sum());
        JsonObject snapshot = new JsonObject().put("lines", lines)
            .put("campaigns", new JsonArray(campaigns.values().stream().map(o -> (Object) o).toList()))
            .put("attemptsPerSecond", Math.round(perSecond * 100) / 100.0)
            .put("attempts", totalAttempts).put("answered", answered)
            .put("answerRate", totalAttempts == 0 ? null : Math.round(answered * 1000.0 / totalAttempts) / 10.0)
            .put("liveCalls", campaigns.values().stream().mapToLong(c -> c.getLong("liveCalls", 0L)).sum());
        callsAndMessages.addTo(snapshot, now);
        if (ticks++ % POINT_EVERY == 0) {
            JsonObject point = new JsonObject().put("t", clock.millis())
                .put("linesInUse", lines.stream().map(o -> (JsonObject) o)
                    .filter(o -> "global".equals(o.getString("level"))).mapToDouble(o -> o.getDouble("inUse", 0.0))
                    .sum())
                .put("liveCalls", snapshot.getLong("liveCalls"))
                .put("outcomes", new JsonObject(new TreeMap<>(minuteOutcomes).entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) Math.round(e.getValue())))));
            minuteOutcomes.clear();
            history.addLast(point);
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
            snapshot.put("point", point);
        }
        return cluster.apply(snapshot);
    }

    private static JsonObject campaign(Map<String, JsonObject> campaigns, Meter m) {
        String id = m.getId().getTag("campaign");
        return campaigns.computeIfAbsent(id, k -> new JsonObject().put("id", k));
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? (Object) (long) v : null;
    }
}

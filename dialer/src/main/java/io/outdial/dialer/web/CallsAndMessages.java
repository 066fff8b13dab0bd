package io.outdial.dialer.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two parts of the live feed read from the node's meters: the calls by state now ({@code outdial_calls{state}}:
 * dialing, ringing, answered, in_flow) and the cascade messages per minute ({@code outdial.cascade.block} counters
 * {@code sent}, {@code delivered}, {@code failed} summed over every scheme and block: how much each grew over the last
 * 60 s, or since the feed started sampling again when it has run for less). Called by the feed's sampler only, on its context.
 */
final class CallsAndMessages {
    static final List<String> STATES = List.of("dialing", "ringing", "answered", "in_flow");
    static final List<String> MESSAGE_COUNTERS = List.of("sent", "delivered", "failed");
    static final long MINUTE_NANOS = 60_000_000_000L;

    private final MeterRegistry registry;
    /** Samples of the cascade totals ({time, sent, delivered, failed}) over the last minute, oldest first. */
    private final Deque<double[]> minute = new ArrayDeque<>();

    CallsAndMessages(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds {@code callsByState} and {@code messagesPerMinute} to a snapshot taken at {@code nanos}. */
    void addTo(JsonObject snapshot, long nanos) {
        JsonObject calls = new JsonObject();
        STATES.forEach(s -> calls.put(s, 0L));
        for (Meter m : registry.find("outdial_calls").meters()) {
            String state = m.getId().getTag("state");
            if (m instanceof Gauge g && state != null) {
                calls.put(state, calls.getLong(state, 0L) + (long) g.value());
            }
        }
        snapshot.put("callsByState", calls);
        Map<String, Double> totals = new TreeMap<>();
        for (Meter m : registry.find("outdial.cascade.block").meters()) {
            String counter = m.getId().getTag("counter");
            if (m instanceof Gauge g && MESSAGE_COUNTERS.contains(counter) && Double.isFinite(g.value())) {
                totals.merge(counter, g.value(), Double::sum);
            }
        }
        double[] now = new double[MESSAGE_COUNTERS.size() + 1];
        now[0] = nanos;
        for (int i = 0; i < MESSAGE_COUNTERS.size(); i++) {
            now[i + 1] = totals.getOrDefault(MESSAGE_COUNTERS.get(i), 0.0);
        }
        // samples older than a minute go, all of them after a pause of the feed (no client listened): the growth
        // is then counted from this sample on, never over the pause
        while (!minute.isEmpty() && nanos - minute.peekFirst()[0] > MINUTE_NANOS) {
            minute.removeFirst();
        }
        minute.addLast(now);
        double[] oldest = minute.peekFirst();
        JsonObject perMinute = new JsonObject();
        for (int i = 0; i < MESSAGE_COUNTERS.size(); i++) {
            // a total that went down (a scheme's meters dropped) counts as no growth, not as a negative rate
            perMinute.put(MESSAGE_COUNTERS.get(i), Math.max(0L, Math.round(now[i + 1] - oldest[i + 1])));
        }
        snapshot.put("messagesPerMinute", perMinute);
    }
}

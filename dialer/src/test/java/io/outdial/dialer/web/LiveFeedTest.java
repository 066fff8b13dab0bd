package io.outdial.dialer.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The live feed's snapshot of the node's meters: lines vs limits, campaigns with reasons, outcomes, answer rate. */
class LiveFeedTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aSnapshotHoldsLinesCampaignsReasonsAndTheAnswerRate() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger inUse = new AtomicInteger(3);
        AtomicInteger answered = new AtomicInteger(3);
        Gauge.builder("outdial_lines_in_use", inUse, AtomicInteger::get).tags("level", "trunk", "name", "carrier")
            .register(registry);
        Gauge.builder("outdial_lines_limit", () -> 30).tags("level", "trunk", "name", "carrier").register(registry);
        Gauge.builder("outdial_lines_in_use", () -> 0).tags("level", "global", "name", "*").register(registry);
        Gauge.builder("outdial_lines_limit", () -> Double.POSITIVE_INFINITY).tags("level", "global", "name", "*")
            .register(registry);
        Tags c1 = Tags.of("campaign", "c1");
        Gauge.builder("outdial_campaign_live_calls", () -> 2).tags(c1).register(registry);
        Gauge.builder("outdial_campaign_contacts", () -> 40).tags(c1.and("state", "total")).register(registry);
        Gauge.builder("outdial_campaign_reason", () -> 0).tags(c1.and("reason", "dialing")).register(registry);
        Gauge.builder("outdial_campaign_reason", () -> 1).tags(c1.and("reason", "trunk_down")).register(registry);
        FunctionCounter.builder("outdial_campaign_attempts", answered, AtomicInteger::get)
            .tags(c1.and("outcome", "answered_completed")).register(registry);
        FunctionCounter.builder("outdial_campaign_attempts", new AtomicInteger(1), AtomicInteger::get).tags(c1.and("outcome", "busy"))
            .register(registry);

        LiveFeed feed = new LiveFeed(vertx, registry, Clock.systemUTC());
        JsonObject s = feed.sample();

        assertThat(s.getJsonArray("lines").stream().map(o -> (JsonObject) o)).anySatisfy(l -> {
            assertThat(l.getString("level")).isEqualTo("trunk");
            assertThat(l.getLong("inUse")).isEqualTo(3);
            assertThat(l.getLong("limit")).isEqualTo(30);
        }).anySatisfy(l -> {
            assertThat(l.getString("level")).isEqualTo("global");
            assertThat(l.getValue("limit")).as("unlimited").isNull();
        });
        JsonObject camp = s.getJsonArray("campaigns").getJsonObject(0);
        assertThat(camp.getString("id")).isEqualTo("c1");
        assertThat(camp.getString("reason")).isEqualTo("trunk_down");
        assertThat(camp.getLong("liveCalls")).isEqualTo(2);
        assertThat(camp.getJsonObject("contacts").getLong("total")).isEqualTo(40);
        assertThat(camp.getJsonObject("outcomes").getLong("busy")).isEqualTo(1);
        assertThat(s.getLong("attempts")).isEqualTo(4);
        assertThat(s.getDouble("answerRate")).isEqualTo(75.0);
        assertThat(s.getJsonObject("point")).as("the first sample starts the history").isNotNull();

        answered.addAndGet(4);
        for (int i = 1; i < LiveFeed.POINT_EVERY; i++) {
            assertThat(feed.sample().getJsonObject("point")).isNull();
        }
        JsonObject point = feed.sample().getJsonObject("point");
        assertThat(point.getJsonObject("outcomes").getLong("answered_completed"))
            .as("outcomes ended since the previous point").isEqualTo(4);
    }

    @Test
    void callsByStateComeFromTheCallListenerAndMessagesPerMinuteFromTheCascadeCounters() {
        MeterRegistry registry = new SimpleMeterRegistry();
        CallListener states = CallListener.countingByState(registry);
        states.onStateChange(call("a1", CallState.DIALING));
        states.onStateChange(call("a2", CallState.DIALING));
        states.onStateChange(call("a3", CallState.DIALING));
        states.onStateChange(call("a4", CallState.DIALING));
        states.onStateChange(call("a2", CallState.RINGING));
        states.onStateChange(call("a3", CallState.RINGING));
        states.onStateChange(call("a3", CallState.ANSWERED));
        states.onStateChange(call("a4", CallState.ANSWERED));
        states.onStateChange(call("a4", CallState.IN_FLOW));
        states.onStateChange(call("a4", CallState.IN_FLOW));
        states.onStateChange(call("a5", CallState.DIALING));
        states.onEnded(call("a5", CallState.ENDED));
        MultiGauge blocks = MultiGauge.builder("outdial.cascade.block").register(registry);
        blocks.register(List.of(row("s1", "sms", "sent", 10), row("s1", "sms", "delivered", 7),
            row("s1", "sms", "failed", 1), row("s1", "sms", "replied", 4), row("s2", "viber", "sent", 5)), true);

        LiveFeed feed = new LiveFeed(vertx, registry, Clock.systemUTC());
        JsonObject first = feed.sample();
        assertThat(first.getJsonObject("callsByState").getMap())
            .isEqualTo(java.util.Map.of("dialing", 1L, "ringing", 1L, "answered", 1L, "in_flow", 1L));
        assertThat(first.getJsonObject("messagesPerMinute").getMap()).as("nothing grew since the feed started")
            .isEqualTo(java.util.Map.of("sent", 0L, "delivered", 0L, "failed", 0L));

        blocks.register(List.of(row("s1", "sms", "sent", 16), row("s1", "sms", "delivered", 9),
            row("s1", "sms", "failed", 3), row("s1", "sms", "replied", 9), row("s2", "viber", "sent", 8)), true);
        states.onEnded(call("a1", CallState.ENDED));
        JsonObject second = feed.sample();
        assertThat(second.getJsonObject("messagesPerMinute").getMap())
            .isEqualTo(java.util.Map.of("sent", 9L, "delivered", 2L, "failed", 2L));
        assertThat(second.getJsonObject("callsByState").getLong("dialing")).isZero();
        assertThat(registry.get("outdial_calls").tag("state", "in_flow").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void messagesPerMinuteCountOnlyTheLastMinute() {
        MeterRegistry registry = new SimpleMeterRegistry();
        MultiGauge blocks = MultiGauge.builder("outdial.cascade.block").register(registry);
        CallsAndMessages m = new CallsAndMessages(registry);
        long t0 = 1_000_000_000L;
        blocks.register(List.of(row("s1", "sms", "sent", 100)), true);
        m.addTo(new JsonObject(), t0);
        blocks.register(List.of(row("s1", "sms", "sent", 130)), true);
        JsonObject at30 = new JsonObject();
        m.addTo(at30, t0 + 30 * 1_000_000_000L);
        assertThat(at30.getJsonObject("messagesPerMinute").getLong("sent")).isEqualTo(30);
        blocks.register(List.of(row("s1", "sms", "sent", 150)), true);
        JsonObject at70 = new JsonObject();
        m.addTo(at70, t0 + 70 * 1_000_000_000L);
        assertThat(at70.getJsonObject("messagesPerMinute").getLong("sent"))
            .as("the sample 70 s old left the window: growth since the one at 30 s").isEqualTo(20);
        assertThat(at70.getJsonObject("callsByState").getLong("ringing")).as("no call meter: zero").isZero();
        blocks.register(List.of(row("s1", "sms", "sent", 900)), true);
        JsonObject afterPause = new JsonObject();
        m.addTo(afterPause, t0 + 600 * 1_000_000_000L);
        assertThat(afterPause.getJsonObject("messagesPerMinute").getLong("sent"))
            .as("after ten minutes without a sample the growth over the pause is not a minute's").isZero();
    }

    private static CallRecord call(String id, CallState state) {
        Instant t = Instant.parse("2026-01-05T10:00:00Z");
        return new CallRecord(id, "c1", "1", "+15550001", "t1", null, "pbx", "ch-" + id, state, t, null, null,
            state == CallState.ENDED ? t : null, state == CallState.ENDED ? CallOutcome.of(OutcomeKind.BUSY, 17,
            "busy") : null, null, null, "", List.of());
    }

    private static MultiGauge.Row<?> row(String scheme, String block, String counter, long value) {
        return MultiGauge.Row.of(Tags.of("scheme", scheme, "block", block, "counter", counter), value);
    }
}

package io.outdial.dialer.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
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
}

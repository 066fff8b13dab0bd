package io.outdial.dialer.telephony;

import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaker side of the monitor: which final records count, per server and trunk. */
class TrunkMonitorTest {
    private final Vertx vertx = Vertx.vertx();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final Trunk trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of(), false, 10,
            10, null, false, null, 3, Duration.ofSeconds(30)));
    private final TrunkMonitor monitor = new TrunkMonitor(vertx, clock, Map.of("carrier", trunk));
    private int seq;

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private CallRecord ended(String server, OutcomeKind kind, String detail, boolean originated, boolean rang) {
        return ended(server, kind, false, detail, originated, rang);
    }

    private CallRecord ended(String server, OutcomeKind kind, boolean chanUnavailable, String detail,
                             boolean originated, boolean rang) {
        Instant now = clock.instant();
        return new CallRecord("a" + (++seq), "c", "k", "+1555", "carrier", null, server, "ch" + seq, CallState.ENDED,
                originated ? now : null, rang ? now : null, null, now,
                new CallOutcome(kind, 0, detail, null, chanUnavailable), null, null, "", List.of());
    }

    @Test
    void congestionAndOriginateErrorsTripTheTrunkOnThatServerOnly() {
        monitor.onEnded(ended("ast1", OutcomeKind.CONGESTION, "dial status CONGESTION, cause 34", true, false));
        monitor.onEnded(ended("ast1", OutcomeKind.FAILED, "ARI ast1 POST /channels failed: HTTP 500", true, false));
        assertThat(monitor.down("ast1", "carrier")).isEmpty();
        monitor.onEnded(ended("ast1", OutcomeKind.NO_ANSWER, true,
                "cause 20 (Subscriber absent), last dial status "
                + "CHANUNAVAIL", true, false));
        assertThat(monitor.down("ast1", "carrier")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("trunk carrier on server ast1: 3 consecutive calls failed"));
        assertThat(monitor.down("ast2", "carrier")).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(monitor.down("ast1", "carrier")).isEmpty();
    }

    @Test
    void callsReachingTheFarEndResetTheCountAndOthersAreNeutral() {
        monitor.onEnded(ended("ast1", OutcomeKind.CONGESTION, "x", true, false));
        monitor.onEnded(ended("ast1", OutcomeKind.CONGESTION, "x", true, false));
        monitor.onEnded(ended("ast1", OutcomeKind.BUSY, "dial status BUSY", true, true));
        monitor.onEnded(ended("ast1", OutcomeKind.CONGESTION, "x", true, false));
        monitor.onEnded(ended("ast1", OutcomeKind.CONGESTION, "x", true, false));
        // LOST and calls never sent (server not ready) do not count either way
        monitor.onEnded(ended("ast1", OutcomeKind.LOST, "channel vanished", true, false));
        monitor.onEnded(ended("ast1", OutcomeKind.FAILED, "ARI server ast1 is not ready", false, false));
        assertThat(monitor.breaker("ast1", "carrier").failures()).isEqualTo(2);
        assertThat(monitor.down("ast1", "carrier")).isEmpty();
        // an unanswered call that rang is the callee's doing, not the trunk's
        monitor.onEnded(ended("ast1", OutcomeKind.NO_ANSWER, true,
                "cause 19, last dial status CHANUNAVAIL", true, true));
        assertThat(monitor.down("ast1", "carrier")).isEmpty();
        assertThat(monitor.breaker("ast1", "carrier").failures()).isZero();
    }

    @Test
    void unknownTrunksAreNeverDown() {
        assertThat(monitor.down("ast1", "nope")).isEmpty();
    }
}

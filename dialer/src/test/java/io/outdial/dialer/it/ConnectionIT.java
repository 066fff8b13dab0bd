package io.outdial.dialer.it;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Websocket loss, reconnect and reconcile, ApplicationReplaced, Asterisk down and back. */
@Timeout(30)
class ConnectionIT {
    private SandboxFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void websocketDropReattachesTheLiveCallAndClosesTheOneThatEndedInTheGapLost() {
        f = new SandboxFixture(Duration.ofMillis(800));
        List<AriHealth> health = new CopyOnWriteArrayList<>();
        f.server.onHealthChange(health::add);
        f.pbx.scripts().registerNumber("+15552220000", CalleeScript.answerAfter(Duration.ofMillis(100))
                .withHangupAfter(Duration.ofSeconds(30)));
        // This callee presses 5 and hangs up 300 ms later. The flow drops the websocket on the 5 and the PBX refuses
        // new websockets until that hangup has happened, so its events are lost whatever the reconnect delay drawn
        // (full jitter may draw a few milliseconds) and however late the 5 reaches the flow (gotcha 12).
        f.pbx.scripts().registerNumber("+15552220001", CalleeScript.answerAfter(Duration.ofMillis(100))
                .withDigits(Duration.ofMillis(500), "5").withHangupAfter(Duration.ofMillis(800)));
        AtomicReference<ScriptedFlow.Session> liveSession = new AtomicReference<>();
        ScriptedFlow liveFlow = new ScriptedFlow(liveSession::set, (s, e) -> { });
        Future<CallRecord> live = f.call("+15552220000", liveFlow);
        await().atMost(5, TimeUnit.SECONDS).until(() -> liveSession.get() != null);
        AtomicBoolean dropped = new AtomicBoolean();
        ScriptedFlow gapFlow = new ScriptedFlow(s -> { }, (s, e) -> {
            if (e instanceof CallEvent.DtmfReceived && !dropped.getAndSet(true)) {
                f.pbx.faults().failRest("/events", 503, -1);
                f.pbx.faults().dropWebsockets();
            }
        });
        Future<CallRecord> gap = f.call("+15552220001", gapFlow);
        await().atMost(10, TimeUnit.SECONDS).untilTrue(dropped);
        await().atMost(10, TimeUnit.SECONDS).until(() -> f.pbx.liveCallCount() == 1);
        f.pbx.faults().clear();
        CallRecord gone = gap.await();
        assertThat(gone.outcome().kind()).isEqualTo(OutcomeKind.LOST);
        assertThat(gone.outcome().detail()).contains("vanished");
        assertThat(gapFlow.events).contains(new CallEvent.HungUp(true, 0));
        await().atMost(15, TimeUnit.SECONDS).until(() -> f.server.health().up());
        AriHealth up = health.get(health.size() - 1);
        assertThat(up.state()).isEqualTo(AriHealth.State.UP);
        assertThat(health).extracting(AriHealth::state).contains(AriHealth.State.DOWN);
        assertThat(Duration.between(health.stream().filter(h -> !h.up()).reduce((a, b) -> b).orElseThrow().since(),
                up.since())).as("back within a few reconnect attempts (each at most 1 s), whatever the machine's load")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(live.isComplete()).as("the live call is re-attached, not closed").isFalse();
        f.vertx.runOnContext(v -> liveSession.get().control.hangup(CallControl.HangupReason.NORMAL));
        CallRecord r = live.await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(liveFlow.events).contains(new CallEvent.HungUp(false, 16));
    }

    @Test
    void asteriskDownIsReportedDownWithTheReasonAndComesBackUpByItself() {
        f = new SandboxFixture();
        f.pbx.scripts().registerNumber("+15552220002", CalleeScript.answerAfter(Duration.ofMillis(100)));
        AtomicReference<ScriptedFlow.Session> session = new AtomicReference<>();
        Future<CallRecord> call = f.call("+15552220002", new ScriptedFlow(session::set, (s, e) -> { }));
        await().atMost(5, TimeUnit.SECONDS).until(() -> session.get() != null);
        f.pbx.faults().down().await();
        await().atMost(15, TimeUnit.SECONDS).until(() -> f.server.health().state() == AriHealth.State.DOWN);
        assertThat(f.server.health().detail()).isNotBlank();
        CallRecord refused = f.call("+15552220002", null).await();
        assertThat(refused.outcome().kind()).as("nothing dialled: no attempt").isEqualTo(OutcomeKind.NOT_PLACED);
        assertThat(refused.outcome().detail()).contains("not ready");
        f.pbx.faults().up().await();
        await().atMost(5, TimeUnit.SECONDS).until(() -> f.server.health().up());
        assertThat(call.await().outcome().kind()).as("the call died with Asterisk").isEqualTo(OutcomeKind.LOST);
    }

    @Test
    void anotherConnectionTakingTheAppOverMarksTheServerDown() {
        f = new SandboxFixture();
        WebSocket thief = f.vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(f.pbx.port()).setURI("/ari/events?app=dialer&api_key=dialer:pw")).await();
        await().atMost(15, TimeUnit.SECONDS).until(() -> !f.server.health().up());
        assertThat(f.server.health().detail()).contains("replaced");
        thief.close().await();
    }
}

package io.outdial.dialer.call;

import io.outdial.dialer.support.FakeAri;
import io.outdial.dialer.support.MutableClock;
import io.outdial.ivr.spi.FlowResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.outdial.dialer.ari.TestAriEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class CallAttemptTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);

    private CallAttempt attempt(boolean amd) {
        CallRequest req = new CallRequest("a1", "c1", "k1", "+15551230000", Map.of(), CallEngineTest.trunk(amd), 1,
                "ch1", amd, null, null, Map.of());
        CallAttempt a = new CallAttempt(req, "PJSIP/+15551230000@carrier", "+15550000001", "ast1", clock);
        a.originateSent();
        return a;
    }

    @Test
    void answeredCallMovesThroughEveryStateAndKeepsTheTimesOfTheRealEvents() {
        CallAttempt a = attempt(false);
        List<CallAttempt.Change> changes = new ArrayList<>();
        clock.set(clock.instant().plus(Duration.ofSeconds(1)));
        changes.add(a.onEvent(event(CallEngineTest.dial("ch1", "RINGING"))));
        assertThat(a.state()).isEqualTo(CallState.RINGING);
        clock.set(clock.instant().plus(Duration.ofSeconds(4)));
        changes.add(a.onEvent(event(CallEngineTest.stasisStart("ch1"))));
        assertThat(a.state()).isEqualTo(CallState.ANSWERED);
        a.enterFlow();
        assertThat(a.state()).isEqualTo(CallState.IN_FLOW);
        changes.add(a.onEvent(event(CallEngineTest.dtmf("ch1", "4"))));
        clock.set(clock.instant().plus(Duration.ofSeconds(10)));
        changes.add(a.onEvent(event(CallEngineTest.destroyed("ch1", 16))));
        assertThat(changes).containsExactly(CallAttempt.Change.RANG, CallAttempt.Change.STASIS_STARTED,
                CallAttempt.Change.NONE, CallAttempt.Change.ENDED);
        CallRecord r = a.snapshot();
        assertThat(r.originateAt()).isEqualTo(T0);
        assertThat(r.ringAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(r.answerAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(r.endAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(r.dtmf()).isEqualTo("4");
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(r.outcome().cause()).isEqualTo(16);
    }

    @Test
    void eventsAfterTheEndChangeNothing() {
        CallAttempt a = attempt(false);
        FakeAri.transcriptEvents("102.jsonl", "ch1").forEach(json -> a.onEvent(event(json)));
        assertThat(a.state()).isEqualTo(CallState.ENDED);
        assertThat(a.onEvent(event(CallEngineTest.stasisStart("ch1")))).isEqualTo(CallAttempt.Change.NONE);
        assertThat(a.outcome().kind()).isEqualTo(OutcomeKind.BUSY);
        assertThat(a.snapshot().answerAt()).isNull();
    }

    @Test
    void amdTranscriptVerdictsAreReadFromStasisArgsAndMachineBecomesTheOutcome() {
        CallAttempt human = attempt(true);
        FakeAri.transcriptEvents("amd_human.jsonl", "ch1").forEach(json -> human.onEvent(event(json)));
        assertThat(human.amdStatus()).isEqualTo("HUMAN");
        assertThat(human.amdCause()).isEqualTo("HUMAN-803-800");
        assertThat(human.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        CallAttempt machine = attempt(true);
        FakeAri.transcriptEvents("amd_machine.jsonl", "ch1").forEach(json -> machine.onEvent(event(json)));
        assertThat(machine.outcome().kind()).isEqualTo(OutcomeKind.MACHINE);
        assertThat(machine.amdCause()).isEqualTo("MAXWORDS-3-2");
    }

    @Test
    void amdAnswerIsTimedWhenTheChannelGoesUpNotWhenAmdDecides() {
        CallAttempt a = attempt(true);
        clock.set(clock.instant().plus(Duration.ofSeconds(3)));
        a.onEvent(event("{\"type\":\"ChannelStateChange\",\"channel\":{\"id\":\"ch1\",\"state\":\"Up\"}}"));
        clock.set(clock.instant().plus(Duration.ofSeconds(2)));
        a.onEvent(event(CallEngineTest.stasisStart("ch1")));
        assertThat(a.snapshot().answerAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void lostAndFailedEndWithTheirReasonAndTheFlowResultIsKept() {
        CallAttempt a = attempt(false);
        a.onEvent(event(CallEngineTest.stasisStart("ch1")));
        a.lost("channel vanished");
        FlowResult fr = new FlowResult("f", 1, List.of(), Map.of(), Map.of(), Map.of(), false, null, false, List.of(),
                FlowResult.Completion.LEFT_EARLY, null);
        a.flowFinished(fr);
        assertThat(a.outcome()).extracting(CallOutcome::kind, CallOutcome::detail, CallOutcome::flowResult)
                .containsExactly(OutcomeKind.LOST, "channel vanished", fr);
        CallAttempt b = attempt(false);
        b.originateFailed("HTTP 500");
        assertThat(b.outcome().kind()).isEqualTo(OutcomeKind.FAILED);
    }
}

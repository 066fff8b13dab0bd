package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.ContactAttempts;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.ivr.spi.FlowResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutcomeMappingTest {
    private static FlowResult flow(FlowResult.Completion c, Map<String, String> answers, String goal,
                                   String... path) {
        return new FlowResult("f", 1, List.of(path), answers, Map.of(), Map.of(), goal != null, goal, false,
                List.of(), c, null);
    }

    @Test
    void answeredCallWithACompletedFlowIsCompletedKeyedByTheGoal() {
        CallOutcome o = CallOutcome.of(OutcomeKind.ANSWERED, 16, "ok")
                .withFlowResult(flow(FlowResult.Completion.COMPLETED, Map.of("ask", "1"), "interested", "ask", "g"));
        assertThat(OutcomeMapping.map(o)).isEqualTo(new OutcomeMapping.Mapped(AttemptOutcome.ANSWERED_COMPLETED,
                "interested"));
    }

    @Test
    void withoutAGoalTheLastAnswerOnThePathIsTheFlowKey() {
        CallOutcome o = CallOutcome.of(OutcomeKind.ANSWERED, 16, "ok").withFlowResult(flow(
                FlowResult.Completion.LEFT_EARLY, Map.of("q1", "3", "q2", "7"), null, "q2", "q1"));
        assertThat(OutcomeMapping.map(o)).isEqualTo(new OutcomeMapping.Mapped(AttemptOutcome.LEFT_EARLY, "3"));
    }

    @Test
    void aFlowErrorCountsAsFailedAndNoFlowAsCompleted() {
        CallOutcome err = CallOutcome.of(OutcomeKind.ANSWERED, 16, "ok")
                .withFlowResult(flow(FlowResult.Completion.ERROR, Map.of(), null, "ask"));
        assertThat(OutcomeMapping.map(err).outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(OutcomeMapping.map(CallOutcome.of(OutcomeKind.ANSWERED, 16, "ok")).outcome())
                .isEqualTo(AttemptOutcome.ANSWERED_COMPLETED);
    }

    @Test
    void aMachineThatListenedToTheWholeFlowWithoutAKeyIsNoGoalNotSuccess() throws Exception {
        // AMD off: the greeting plays over the survey, the question times out twice, the flow ends on "bye"
        CallOutcome machine = CallOutcome.of(OutcomeKind.ANSWERED, 16, "ok")
                .withFlowResult(flow(FlowResult.Completion.COMPLETED, Map.of(), null, "ask", "bye"));
        String demoFlow = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", "flow-demo.yaml"));
        io.outdial.ivr.engine.FlowInterpreter survey = io.outdial.ivr.engine.FlowInterpreter.of(
                io.outdial.ivr.flow.FlowValidator.validate(demoFlow, io.outdial.ivr.flow.FlowDocuments.Format.YAML,
                        io.outdial.ivr.flow.VoiceCatalog.of(Map.of("freetts", java.util.Set.of("kevin16")))));
        assertThat(OutcomeMapping.hasGoals(survey)).isTrue();

        assertThat(OutcomeMapping.map(machine, OutcomeMapping.hasGoals(survey)).outcome())
                .isEqualTo(AttemptOutcome.ANSWERED_NO_GOAL);
        // and the default rules retry it instead of closing the contact as a success
        assertThat(io.outdial.dialer.attempt.AttemptRules.defaults().decide(CallingCalendar.alwaysOpen(),
                ContactAttempts.NONE, AttemptOutcome.ANSWERED_NO_GOAL, null, Instant.parse("2026-11-23T10:00:00Z"),
                List.of(ZoneOffset.UTC), false).retryTime()).isPresent();
        // a flow without goal nodes (a message) succeeds by running to its end
        assertThat(OutcomeMapping.map(machine, false).outcome()).isEqualTo(AttemptOutcome.ANSWERED_COMPLETED);
    }

    @ParameterizedTest
    @EnumSource(value = OutcomeKind.class, names = {"MACHINE", "BUSY", "NO_ANSWER", "CONGESTION",
        "INVALID_NUMBER", "REJECTED", "FAILED", "LOST"})
    void otherOutcomesMapOneToOne(OutcomeKind kind) {
        assertThat(OutcomeMapping.map(CallOutcome.of(kind, 0, "x")).outcome().name()).isEqualTo(kind.name());
    }
}

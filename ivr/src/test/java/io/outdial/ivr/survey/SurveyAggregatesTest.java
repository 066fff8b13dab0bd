package io.outdial.ivr.survey;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.support.Flows;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SurveyAggregatesTest {

    private final Flow flow = Flows.example("survey-3-questions.json").flow();

    private static FlowResult result(String flowId, List<String> path, Map<String, String> answers,
                                     FlowResult.Completion completion) {
        return new FlowResult(flowId, 1, path, answers, Map.of(), Map.of(), false, null, false, List.of(), completion,
                path.isEmpty() ? null : path.get(path.size() - 1));
    }

    @Test
    void countsAnswersPerKeyCompletionRateAndDropOffPerNode() {
        List<FlowResult> results = List.of(
                result("satisfaction-survey", List.of("intro", "q1", "q2", "band", "q3", "thanks", "bye", "end"),
                        Map.of("q1", "1", "q2", "7", "q3", "2"), FlowResult.Completion.COMPLETED),
                result("satisfaction-survey", List.of("intro", "q1", "q2", "band", "promoter", "q3", "callback",
                        "thanks", "bye", "end"), Map.of("q1", "1", "q2", "10", "q3", "1"),
                        FlowResult.Completion.COMPLETED),
                result("satisfaction-survey", List.of("intro", "q1", "q2"), Map.of("q1", "2"),
                        FlowResult.Completion.LEFT_EARLY),
                result("satisfaction-survey", List.of("intro"), Map.of(), FlowResult.Completion.LEFT_EARLY),
                result("other-flow", List.of("x"), Map.of("q1", "9"), FlowResult.Completion.COMPLETED));

        SurveyReport r = SurveyAggregates.of(flow, results);

        assertThat(r.runs()).isEqualTo(4);
        assertThat(r.completed()).isEqualTo(2);
        assertThat(r.leftEarly()).isEqualTo(2);
        assertThat(r.completionRate()).isEqualTo(0.5);
        assertThat(r.dropOffByNode()).containsExactlyInAnyOrderEntriesOf(Map.of("q2", 1L, "intro", 1L));
        SurveyReport.QuestionStats q1 = r.questions().get(0);
        assertThat(q1.nodeId()).isEqualTo("q1");
        assertThat(q1.counts()).containsExactly(Map.entry("1", 2L), Map.entry("2", 1L));
        assertThat(q1.reached()).isEqualTo(3);
        assertThat(r.questions().get(1).counts()).containsExactly(Map.entry("10", 1L), Map.entry("7", 1L));
        assertThat(r.questions().get(1).answerRate()).isEqualTo(2 / 3.0);
        assertThat(r.questions().get(2).counts()).containsExactly(Map.entry("1", 1L), Map.entry("2", 1L));
        assertThat(r.reachedByNode()).containsEntry("intro", 4L).containsEntry("promoter", 1L)
                .containsEntry("bye_incomplete", 0L);
    }

    @Test
    void noResultsGiveZeroRatesAndEveryMenuKeyWithZero() {
        SurveyReport r = SurveyAggregates.of(flow, List.of());
        assertThat(r.completionRate()).isZero();
        assertThat(r.questions()).hasSize(3);
        assertThat(r.questions().get(0).counts()).containsExactly(Map.entry("1", 0L), Map.entry("2", 0L));
        assertThat(r.questions().get(0).answerRate()).isZero();
    }
}

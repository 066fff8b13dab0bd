package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.support.Flows;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SurveyExampleRunTest {

    private final Flows.Run run = new Flows.Run(Flows.example("survey-3-questions.json"),
            Map.of("first_name", "Ann"), "HUMAN");

    @Test
    void calleeAnsweringAllThreeQuestionsCompletesWithAnswersGoalAndMessage() {
        assertThat(run.call.lastPlayed()).containsExactly(
                "Hello Ann, this is a short survey from our company.");
        run.call.finishPlayback();
        run.call.press("1");
        run.call.press("9#");
        run.call.finishPlayback();
        run.call.press("1");
        run.call.finishPlayback();

        FlowResult r = run.result();
        assertThat(r.completion()).isEqualTo(FlowResult.Completion.COMPLETED);
        assertThat(r.answers()).containsExactlyInAnyOrderEntriesOf(Map.of("q1", "1", "q2", "9", "q3", "1"));
        assertThat(r.vars()).containsEntry("score_band", "promoter");
        assertThat(r.path()).containsExactly("intro", "q1", "q2", "band", "promoter", "q3", "callback", "thanks",
                "bye", "end");
        assertThat(r.goalReached()).isTrue();
        assertThat(r.goalName()).isEqualTo("survey_completed");
        assertThat(r.messages()).containsExactly("callback_requested?q2=9");
        assertThat(r.endNode()).isEqualTo("end");
        assertThat(r.flowId()).isEqualTo("satisfaction-survey");
        assertThat(r.flowVersion()).isEqualTo(1);
        assertThat(run.call.kinds()).endsWith("hangup");
    }

    @Test
    void calleeHangingUpAtQuestionTwoLeftEarly() {
        run.call.finishPlayback();
        run.call.press("2");
        run.call.finishPlayback();
        run.call.advance(Duration.ofSeconds(2));
        run.call.calleeHangsUp();

        FlowResult r = run.result();
        assertThat(r.completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        assertThat(r.endNode()).isEqualTo("q2");
        assertThat(r.answers()).containsOnlyKeys("q1");
        assertThat(r.goalReached()).isFalse();
        assertThat(run.call.pendingTimers()).isEmpty();
    }

    @Test
    void lowScoreSkipsThePromoterBand() {
        run.call.finishPlayback();
        run.call.press("1");
        run.call.press("5#");
        run.call.finishPlayback();
        run.call.press("2");
        run.call.finishPlayback();

        assertThat(run.result().vars()).containsEntry("score_band", "");
        assertThat(run.result().path()).doesNotContain("promoter", "callback");
    }

    @Test
    void eventsAfterTheEndAreIgnoredAndTheResultIsDeliveredOnce() {
        run.call.calleeHangsUp();
        run.session.onEvent(new CallEvent.DtmfReceived('1'));
        run.session.onEvent(new CallEvent.HungUp(true, 16));
        assertThat(run.results).hasSize(1);
        assertThat(run.session.isFinished()).isTrue();
    }
}

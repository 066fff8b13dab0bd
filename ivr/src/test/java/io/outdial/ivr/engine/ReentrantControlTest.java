package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.support.Flows;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A CallControl that reports outcomes from inside the command call must not confuse the session. */
class ReentrantControlTest {

    /**
         * Ends every playback at once, except that a question prompt is interrupted by the next queued key (barge-in
         * from inside play); a started timer is answered by the next queued key from inside startTimer.
         */
    static final class EagerControl implements CallControl {
        FlowSession session;
        final Deque<Character> keys = new ArrayDeque<>();
        final List<String> log = new ArrayList<>();

        @Override
        public void play(String playbackId, List<Prompt> prompts) {
            log.add("play");
            String first = prompts.get(0) instanceof Prompt.Tts ? ((Prompt.Tts) prompts.get(0)).text() : "";
            if (!keys.isEmpty() && (first.contains("Press") || first.contains("number"))) {
                session.onEvent(new CallEvent.DtmfReceived(keys.pop()));
            } else {
                session.onEvent(new CallEvent.PlaybackFinished(playbackId, CallEvent.PlaybackStatus.DONE));
            }
        }

        @Override
        public void stopPlayback(String playbackId) {
            log.add("stop");
            session.onEvent(new CallEvent.PlaybackFinished(playbackId, CallEvent.PlaybackStatus.STOPPED));
        }

        @Override
        public void record(String recordingName, RecordOptions options) {
        }

        @Override
        public void transfer(String transferId, TransferRequest request) {
        }

        @Override
        public void startTimer(String timerId, Duration delay) {
            log.add("timer");
            if (!keys.isEmpty()) {
                session.onEvent(new CallEvent.DtmfReceived(keys.pop()));
            }
        }

        @Override
        public void cancelTimer(String timerId) {
        }

        @Override
        public void hangup(HangupReason reason) {
            log.add("hangup");
            session.onEvent(new CallEvent.HungUp(false, 16));
        }
    }

    @Test
    void surveyRunsToTheEndWhenEveryOutcomeArrivesInsideTheCommand() {
        EagerControl control = new EagerControl();
        control.keys.addAll(List.of('1', '9', '#', '2'));
        List<FlowResult> results = new ArrayList<>();
        FlowSession s = FlowInterpreter.of(Flows.example("survey-3-questions.json"))
                .open(new CallInfo("a1", "+1555", Map.of(), null, null), control, results::add);
        control.session = s;
        s.start();
        assertThat(results).hasSize(1);
        assertThat(results.get(0).completion()).isEqualTo(FlowResult.Completion.COMPLETED);
        assertThat(results.get(0).answers()).containsEntry("q1", "1").containsEntry("q2", "9");
        assertThat(results.get(0).answers()).containsEntry("q3", "2");
        assertThat(control.log).contains("stop").endsWith("hangup");
    }

    @Test
    void hangupBeforeStartEndsTheRunAsLeftEarlyWithoutCommands() {
        EagerControl control = new EagerControl();
        List<FlowResult> results = new ArrayList<>();
        FlowSession s = FlowInterpreter.of(Flows.example("survey-3-questions.json"))
                .open(new CallInfo("a1", "+1555", Map.of(), null, null), control, results::add);
        control.session = s;
        s.onEvent(new CallEvent.HungUp(true, 16));
        s.start();
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
            assertThat(r.endNode()).isNull();
        });
        assertThat(control.log).isEmpty();
    }
}

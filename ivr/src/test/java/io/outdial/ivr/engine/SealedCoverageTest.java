package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.NodeType;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.support.Flows;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every case of the sealed types is handled: a new case added without handling fails here. */
class SealedCoverageTest {

    @Test
    void everyCallEventKindIsAcceptedByARunningSession() {
        Flows.Run run = new Flows.Run(Flows.example("survey-3-questions.json"), Map.of(), null);
        List<CallEvent> samples = List.of(
                new CallEvent.PlaybackFinished("x", CallEvent.PlaybackStatus.DONE),
                new CallEvent.DtmfReceived('1'),
                new CallEvent.RecordingFinished("x", CallEvent.RecordingStatus.DONE, 1, "r"),
                new CallEvent.TransferFinished("x", CallEvent.TransferStatus.BRIDGED, null),
                new CallEvent.TimerFired("x"),
                new CallEvent.HungUp(true, 16));
        assertThat(samples.stream().map(Object::getClass).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(CallEvent.class.getPermittedSubclasses());
        samples.forEach(run.session::onEvent);
        assertThat(run.session.isFinished()).isTrue();
    }

    @Test
    void everyNodeRecordHasANodeType() {
        assertThat(Arrays.stream(Node.class.getPermittedSubclasses()).map(c -> c.getSimpleName()))
                .hasSize(NodeType.values().length);
        for (Class<?> c : Node.class.getPermittedSubclasses()) {
            String json = c.getSimpleName().equals("SetVars") ? "set" : c.getSimpleName().toLowerCase();
            assertThat(NodeType.fromJson(json)).as(c.getSimpleName()).isNotNull();
        }
    }
}

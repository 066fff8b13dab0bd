package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.support.FakeCallControl;
import io.outdial.ivr.support.Flows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The observer of a run hears each node as it is entered, with the answers and variables of that moment. */
class ObserverTest {

    private static final String FLOW = """
            id: o
            version: 1
            start: ask
            variables: { mood: "" }
            nodes:
              ask:
                type: gather
                prompt: "Press 1"
                menu: { "1": liked }
                onFail: bye
              liked: { type: set, values: { mood: happy }, next: bye }
              bye: { type: hangup }
            """;

    @Test
    void eachNodeEnteredIsToldWithTheStateAsItIsEntered() {
        ValidationReport report = Flows.yaml(FLOW);
        assertThat(report.errors()).as(report.render()).isEmpty();
        List<String> seen = new ArrayList<>();
        List<FlowResult> results = new ArrayList<>();
        FakeCallControl call = new FakeCallControl();
        FlowSession session = FlowInterpreter.of(report).open(new CallInfo("a1", "+15550001", Map.of(), null, null),
            call, results::add, (nodeId, type, answers, vars) -> seen.add(nodeId + ":" + type + ":" + answers + ":"
                + vars));
        call.attach(session);
        session.start();
        call.finishPlayback();
        call.press("1");
        assertThat(seen).containsExactly("ask:gather:{}:{mood=}", "liked:set:{ask=1}:{mood=}",
            "bye:hangup:{ask=1}:{mood=happy}");
        assertThat(results).hasSize(1);
    }
}

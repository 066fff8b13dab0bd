package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.Condition;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.PromptPart;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.support.Flows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random valid flows driven by a random callee always end, within a bound on events. Flows are generated from a
 * seed: forward links only, except gather nodes, which may also loop back (a callee can keep choosing "repeat").
 */
class RandomFlowsTerminateProperties {

    private static final int MAX_STEPS = 200;
    private static final int MAX_EVENTS = 20_000;

    @Property(tries = 300)
    void randomValidFlowWithRandomCalleeEndsWithinBoundedEvents(@ForAll long seed) {
        Random rnd = new Random(seed);
        Flow flow = randomFlow(rnd);
        ValidationReport report = FlowValidator.validate(flow, Flows.VOICES);
        assertThat(report.isValid()).as(report.render()).isTrue();

        Flows.Run run = new Flows.Run(new FlowInterpreter(flow, MAX_STEPS), Map.of("city", "Kyiv"),
                rnd.nextBoolean() ? "HUMAN" : "MACHINE");
        String finishedPlayback = null;
        int events = 0;
        while (!run.session.isFinished() && events < MAX_EVENTS) {
            events++;
            String kind = run.call.commands().isEmpty() ? "none" : run.call.last().kind();
            int dice = rnd.nextInt(100);
            if (dice < 1) {
                run.call.calleeHangsUp();
            } else if (kind.equals("record")) {
                if (dice < 90) {
                    run.call.finishRecording(3, "recording:r" + events);
                } else {
                    run.call.failRecording();
                }
            } else if (kind.equals("transfer")) {
                CallEvent.TransferStatus[] all = CallEvent.TransferStatus.values();
                run.call.finishTransfer(all[rnd.nextInt(all.length)]);
            } else if (kind.equals("play") && !run.call.lastPlaybackId().equals(finishedPlayback)) {
                if (dice < 75) {
                    finishedPlayback = run.call.lastPlaybackId();
                    run.call.finishPlayback();
                } else if (dice < 98) {
                    run.call.press(String.valueOf("0123456789*#".charAt(rnd.nextInt(12))));
                } else {
                    run.call.failPlayback();
                }
            } else if (dice < 60) {
                run.call.press(String.valueOf("0123456789*#".charAt(rnd.nextInt(12))));
            } else {
                run.call.advance(Duration.ofSeconds(1 + rnd.nextInt(6)));
            }
        }
        assertThat(run.session.isFinished()).as("flow ended within %d events", MAX_EVENTS).isTrue();
        FlowResult r = run.result();
        assertThat(r.path().size()).isLessThanOrEqualTo(MAX_STEPS);
        assertThat(run.call.pendingTimers()).isEmpty();
    }

    private static Flow randomFlow(Random rnd) {
        int n = 2 + rnd.nextInt(14);
        Map<String, Node> nodes = new LinkedHashMap<>();
        String end = "n" + (n - 1);
        for (int i = 0; i < n - 1; i++) {
            String id = "n" + i;
            int kind = rnd.nextInt(11);
            nodes.put(id, node(rnd, id, kind, i, n));
        }
        nodes.put(end, new Node.Hangup(end));
        return new Flow("random", 1, "random", null, "n0", nodes, Map.of("x", ""));
    }

    /** Node i links forward to i+1 (so every node reaches the end) and to random later nodes. */
    private static Node node(Random rnd, String id, int kind, int i, int n) {
        String next = "n" + (i + 1);
        String later = "n" + (i + 1 + rnd.nextInt(n - i - 1));
        List<PromptPart> prompt = List.of(PromptPart.say("Question " + i + " {{contact.city}}", null));
        switch (kind) {
            case 0:
                return new Node.Say(id, "Hello {{vars.x|there}}", null, next);
            case 1:
                return new Node.Play(id, "prompt:p" + i, next);
            case 2: {
                Map<String, String> menu = new LinkedHashMap<>();
                menu.put("1", next);
                menu.put("2", later);
                menu.put("9", id);
                return new Node.Gather(id, prompt, menu, null, null, Duration.ofSeconds(3), Duration.ofSeconds(2),
                        rnd.nextInt(3), List.of(PromptPart.say("No input", null)), List.of(), rnd.nextBoolean(), next);
            }
            case 3:
                return new Node.Gather(id, prompt, null, new Node.Digits(1, 1 + rnd.nextInt(4), "#", "[0-9]+"), next,
                        Duration.ofSeconds(3), Duration.ofSeconds(2), rnd.nextInt(3), List.of(), List.of(),
                        rnd.nextBoolean(), later);
            case 4:
                return new Node.Record(id, rnd.nextBoolean() ? prompt : List.of(), Duration.ofSeconds(10), true,
                        Duration.ofSeconds(2), "#", next);
            case 5:
                return new Node.SetVars(id, Map.of("x", "v" + i), next);
            case 6:
                return new Node.Branch(id, List.of(new Node.Case(List.of(new Condition("amd", Condition.Op.EQ,
                        List.of("MACHINE"))), later)), next);
            case 7:
                return new Node.Transfer(id, List.of(), "+1555000" + i, null, Duration.ofSeconds(20), null, null, next);
            case 8:
                return new Node.Message(id, "event" + i, Map.of("city", "{{contact.city}}"), next);
            case 9:
                return new Node.Unsubscribe(id, next);
            default:
                return new Node.Goal(id, "goal" + i, next);
        }
    }

}

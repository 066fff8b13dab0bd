package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.support.Flows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeTypesTest {

    private static Flows.Run run(String yaml, Map<String, String> contact, String amd) {
        ValidationReport report = Flows.yaml(yaml);
        assertThat(report.errors()).as(report.render()).isEmpty();
        return new Flows.Run(report, contact, amd);
    }

    private static Flows.Run run(String yaml) {
        return run(yaml, Map.of(), null);
    }

    @Test
    void sayResolvesTemplatesWithDefaultsAndUsesTheNodeVoice() {
        Flows.Run r = run("""
                id: s
                version: 1
                start: hi
                variables: { greeting: Hello }
                nodes:
                  hi:
                    type: say
                    text: "{{vars.greeting}} {{contact.name|friend}}, city {{contact.city}}."
                    voice: { engine: espeak-ng, voice: ru }
                    next: end
                  end: { type: hangup }
                """, Map.of("city", "Kyiv"), null);
        @SuppressWarnings("unchecked")
        List<Prompt> prompts = (List<Prompt>) r.call.commands().get(0).detail();
        assertThat(prompts).containsExactly(new Prompt.Tts("Hello friend, city Kyiv.", "espeak-ng", "ru"));
        r.call.finishPlayback();
        assertThat(r.result().completion()).isEqualTo(FlowResult.Completion.COMPLETED);
    }

    @Test
    void sayWhoseTextResolvesToBlankIsSkipped() {
        Flows.Run r = run("""
                id: s
                version: 1
                start: hi
                nodes:
                  hi: { type: say, text: "{{contact.missing}}", next: end }
                  end: { type: hangup }
                """);
        assertThat(r.call.kinds()).containsExactly("hangup");
        assertThat(r.result().path()).containsExactly("hi", "end");
    }

    @Test
    void playSendsTheMediaUriAndAFailedPlaybackEndsWithError() {
        Flows.Run r = run("""
                id: p
                version: 1
                start: jingle
                nodes:
                  jingle: { type: play, uri: "prompt:jingle-1", next: end }
                  end: { type: hangup }
                """);
        assertThat(r.call.lastPlayed()).containsExactly("prompt:jingle-1");
        r.call.failPlayback();
        assertThat(r.result().completion()).isEqualTo(FlowResult.Completion.ERROR);
        assertThat(r.result().endNode()).isEqualTo("jingle");
        assertThat(r.call.kinds()).containsExactly("play", "hangup");
    }

    private static final String RECORD = """
            id: r
            version: 1
            start: rec
            nodes:
              rec:
                type: record
                prompt: "Leave a message after the beep."
                maxLength: 30
                beep: true
                silence: 4
                finishKey: "#"
                next: end
              end: { type: hangup }
            """;

    @Test
    void recordPlaysThePromptThenRecordsWithTheNodeOptions() {
        Flows.Run r = run(RECORD);
        r.call.finishPlayback();
        assertThat(r.call.last().detail()).isEqualTo(new CallControl.RecordOptions(Duration.ofSeconds(30),
                Duration.ofSeconds(4), true, "#"));
        r.call.finishRecording(7, "recording:a1-rec");
        assertThat(r.result().recordings()).containsEntry("rec", "recording:a1-rec");
        assertThat(r.result().completion()).isEqualTo(FlowResult.Completion.COMPLETED);
    }

    @Test
    void failedRecordingGoesOnWithoutARecording() {
        Flows.Run r = run(RECORD);
        r.call.finishPlayback();
        r.call.failRecording();
        assertThat(r.result().recordings()).isEmpty();
        assertThat(r.result().endNode()).isEqualTo("end");
    }

    private static final String BRANCHES = """
            id: b
            version: 1
            start: set
            variables: { tier: "", n: "5" }
            nodes:
              set: { type: set, values: { tier: "{{contact.tier|basic}}" }, next: which }
              which:
                type: branch
                cases:
                  - when: { subject: amd, op: eq, value: MACHINE }
                    next: machine
                  - when:
                      - { subject: vars.tier, op: in, values: [gold, platinum] }
                      - { subject: vars.n, op: gt, value: 3 }
                    next: vip
                  - when: { subject: contact.city, op: matches, value: "K.*" }
                    next: k_city
                  - when: { subject: contact.email, op: notEmpty }
                    next: has_email
                default: other
              machine: { type: hangup }
              vip: { type: hangup }
              k_city: { type: hangup }
              has_email: { type: hangup }
              other: { type: hangup }
            """;

    @Test
    void branchTakesTheFirstCaseWhoseConditionsAllHold() {
        assertThat(run(BRANCHES, Map.of("tier", "gold", "city", "Kyiv"), "MACHINE").result().endNode())
                .isEqualTo("machine");
        assertThat(run(BRANCHES, Map.of("tier", "gold", "city", "Kyiv"), "HUMAN").result().endNode())
                .isEqualTo("vip");
        assertThat(run(BRANCHES, Map.of("city", "Kyiv"), "HUMAN").result().endNode()).isEqualTo("k_city");
        assertThat(run(BRANCHES, Map.of("email", "a@b.c"), null).result().endNode()).isEqualTo("has_email");
        assertThat(run(BRANCHES, Map.of(), null).result().endNode()).isEqualTo("other");
        assertThat(run(BRANCHES, Map.of(), null).result().vars()).containsEntry("tier", "basic");
    }

    private static final String TRANSFER = """
            id: t
            version: 1
            start: xfer
            nodes:
              xfer:
                type: transfer
                prompt: "Connecting."
                number: "{{contact.agent|+15550100}}"
                trunk: ops
                ringTimeout: 20
                callerId: "+15559999"
                onBridged: won
                onUnanswered: sorry
              won: { type: goal, name: talked, next: end }
              sorry:
                type: message
                event: send_link
                params: { channel: whatsapp, to: "{{contact.name}}" }
                next: unsub
              unsub: { type: unsubscribe, next: end }
              end: { type: hangup }
            """;

    @Test
    void bridgedTransferRunsTheSilentOnBridgedChainAndCompletesWithoutHangingUp() {
        Flows.Run r = run(TRANSFER);
        r.call.finishPlayback();
        assertThat(r.call.last().detail()).isEqualTo(new CallControl.TransferRequest("+15550100", "ops",
                Duration.ofSeconds(20), "+15559999"));
        r.call.finishTransfer(CallEvent.TransferStatus.BRIDGED);
        FlowResult res = r.result();
        assertThat(res.completion()).isEqualTo(FlowResult.Completion.COMPLETED);
        assertThat(res.goalName()).isEqualTo("talked");
        assertThat(res.endNode()).isEqualTo("end");
        assertThat(r.call.kinds()).doesNotContain("hangup");
    }

    @Test
    void unansweredTransferGoesToOnUnansweredWithMessageAndUnsubscribe() {
        Flows.Run r = run(TRANSFER, Map.of("name", "Ann Lee"), null);
        r.call.finishPlayback();
        r.call.finishTransfer(CallEvent.TransferStatus.NO_ANSWER);
        FlowResult res = r.result();
        assertThat(res.messages()).containsExactly("send_link?channel=whatsapp&to=Ann+Lee");
        assertThat(RaisedMessage.parse(res.messages().get(0)).params()).containsEntry("to", "Ann Lee");
        assertThat(res.unsubscribed()).isTrue();
        assertThat(res.goalReached()).isFalse();
        assertThat(r.call.kinds()).endsWith("hangup");
    }

    @Test
    void hangupInEveryWaitingStateEndsLeftEarly() {
        // during a say
        Flows.Run say = run(TRANSFER);
        say.call.calleeHangsUp();
        assertThat(say.result().completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        // during a transfer
        Flows.Run xfer = run(TRANSFER);
        xfer.call.finishPlayback();
        xfer.call.calleeHangsUp();
        assertThat(xfer.result().completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        assertThat(xfer.result().endNode()).isEqualTo("xfer");
        // during a record prompt and a recording
        Flows.Run recPrompt = run(RECORD);
        recPrompt.call.calleeHangsUp();
        assertThat(recPrompt.result().completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        Flows.Run rec = run(RECORD);
        rec.call.finishPlayback();
        rec.call.calleeHangsUp();
        assertThat(rec.result().completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        assertThat(rec.result().recordings()).isEmpty();
    }

    @Test
    void staleEventsWithUnknownIdsAreIgnored() {
        Flows.Run r = run(RECORD);
        r.session.onEvent(new CallEvent.PlaybackFinished("other", CallEvent.PlaybackStatus.DONE));
        r.session.onEvent(new CallEvent.TimerFired("other"));
        r.session.onEvent(new CallEvent.RecordingFinished("other", CallEvent.RecordingStatus.DONE, 1, "x"));
        r.session.onEvent(new CallEvent.TransferFinished("other", CallEvent.TransferStatus.BRIDGED, null));
        assertThat(r.call.kinds()).containsExactly("play");
        assertThat(r.results).isEmpty();
    }

    @Test
    void aRunPastTheStepLimitEndsWithError() {
        ValidationReport report = Flows.yaml("""
                id: loop
                version: 1
                start: ask
                nodes:
                  ask: { type: gather, prompt: "Press 1", menu: { "1": ask }, onFail: end }
                  end: { type: hangup }
                """);
        Flows.Run r = new Flows.Run(new FlowInterpreter(report.flow(), 3), Map.of(), null);
        r.call.press("1");
        r.call.press("1");
        assertThat(r.results).isEmpty();
        r.call.press("1");
        assertThat(r.result().completion()).isEqualTo(FlowResult.Completion.ERROR);
        assertThat(r.call.kinds()).endsWith("hangup");
    }

    @Test
    void recordWithoutPromptRecordsAtOnce() {
        Flows.Run r = run("""
                id: r
                version: 1
                start: rec
                nodes:
                  rec: { type: record, next: end }
                  end: { type: hangup }
                """);
        assertThat(r.call.kinds()).containsExactly("record");
        assertThat(r.call.last().detail()).isEqualTo(new CallControl.RecordOptions(Duration.ofSeconds(60),
                Duration.ofSeconds(5), true, "#"));
    }

    @Test
    void transferWhoseNumberResolvesToBlankGoesToOnUnansweredWithoutDialing() {
        Flows.Run r = run("""
                id: t
                version: 1
                start: xfer
                nodes:
                  xfer: { type: transfer, number: "{{contact.agent}}", onUnanswered: end }
                  end: { type: hangup }
                """);
        assertThat(r.call.kinds()).containsExactly("hangup");
        assertThat(r.result().path()).containsExactly("xfer", "end");
    }

    @Test
    void keysOutsideAGatherAndNonDialKeysAreIgnored() {
        Flows.Run r = run("""
                id: k
                version: 1
                start: hi
                nodes:
                  hi: { type: say, text: Hello, next: ask }
                  ask: { type: gather, prompt: "Press 1", menu: { "1": end }, onFail: end }
                  end: { type: hangup }
                """);
        r.call.press("1");
        assertThat(r.call.kinds()).containsExactly("play");
        r.call.finishPlayback();
        r.call.finishPlayback();
        r.call.press("A");
        assertThat(r.results).isEmpty();
        r.call.press("1");
        assertThat(r.result().answers()).containsEntry("ask", "1");
    }
}

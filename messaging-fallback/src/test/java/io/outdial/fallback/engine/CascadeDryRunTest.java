package io.outdial.fallback.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.SchemeTemplates;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CascadeDryRunTest {

    private final Vertx vertx = Vertx.vertx();
    private final CascadeDryRun dryRun = new CascadeDryRun(vertx, EngineOptions.defaults().withPrices(
            new PricePlan(Map.of(ChannelType.SMS, 5L, ChannelType.VIBER, 3L), true)));

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private static Scheme template(String name) {
        return SchemeTemplates.all().get(name).scheme();
    }

    private static Scheme yaml(String doc) {
        SchemeReport r = SchemeDocuments.parse(doc, SchemeDocuments.Format.YAML);
        assertThat(r.isValid()).as(r.render()).isTrue();
        return r.scheme();
    }

    private static DryRunBehaviour b(Map<String, Object> m) {
        return DryRunBehaviour.fromMap(m);
    }

    private List<DryRunPath> run(Scheme s, DryRunBehaviour... bs) {
        return dryRun.run(s, List.of(bs), Map.of("name", "Anna", "id", "c-1")).await();
    }

    @Test
    void voiceThenSmsPathsFollowTheCallOutcome() {
        List<DryRunPath> paths = run(template("voice-sms"),
                b(Map.of("name", "answers", "voice", "ANSWERED")),
                b(Map.of("name", "busy", "voice", "BUSY", "sms", "DELIVERED")),
                b(Map.of("name", "unreachable", "voice", "NO_ANSWER", "sms", "UNDELIVERED")),
                b(Map.of("name", "fails", "voice", "SEND_FAILS", "sms", "SILENT")));

        DryRunPath answers = paths.get(0);
        assertThat(answers.steps()).extracting(DryRunPath.PathStep::blockId).containsExactly("call", "done");
        assertThat(answers.steps().get(0).outcome()).isEqualTo("status answered");
        assertThat(answers.steps().get(0).message().text()).isEqualTo("main");
        assertThat(answers.outcome()).isEqualTo("end");
        assertThat(answers.totalCost()).isZero();

        DryRunPath busy = paths.get(1);
        assertThat(busy.steps()).extracting(DryRunPath.PathStep::blockId).containsExactly("call", "sms", "done");
        DryRunPath.PathStep sms = busy.steps().get(1);
        assertThat(sms.message().text()).isEqualTo("Anna, we could not reach you by phone. Please call us back.");
        assertThat(sms.message().segments()).isEqualTo(1);
        assertThat(sms.message().encoding()).isEqualTo("GSM7");
        assertThat(sms.message().cost()).isEqualTo(5);
        assertThat(sms.message().status()).isEqualTo("delivered");
        assertThat(sms.waitFor()).isEqualTo(Duration.ofHours(24));
        assertThat(sms.outcome()).isEqualTo("status delivered");
        assertThat(busy.totalCost()).isEqualTo(5);
        // the call took its simulated ring time, not real time
        assertThat(sms.at()).isPositive().isLessThan(Duration.ofMinutes(5));

        DryRunPath unreachable = paths.get(2);
        DryRunPath.PathStep sms2 = unreachable.steps().get(1);
        assertThat(sms2.message().status()).isEqualTo("undelivered");
        assertThat(sms2.message().refund()).isEqualTo(5);
        assertThat(unreachable.totalCost()).isZero();
        // no link for undelivered: the SMS waits out its decision time
        assertThat(sms2.outcome()).isEqualTo("timeout");
        assertThat(unreachable.duration()).isGreaterThan(Duration.ofHours(24));

        DryRunPath fails = paths.get(3);
        assertThat(fails.steps().get(0).outcome()).startsWith("error");
        assertThat(fails.steps().get(0).message().error()).contains("simulated");
        assertThat(fails.steps().get(1).outcome()).isEqualTo("timeout");
    }

    @Test
    void aReplyReachesTheGoalAndSilenceFallsBackToTheCall() {
        List<DryRunPath> paths = run(template("sms-voice"),
                b(Map.of("name", "replies yes", "reply", "Yes!")),
                b(Map.of("name", "never reads", "sms", "SILENT", "voice", "NO_ANSWER")),
                b(Map.of("name", "late yes", "reply", "yes", "replyAfter", "PT3H", "voice", "ANSWERED")));
        assertThat(paths.get(0).outcome()).isEqualTo("goal");
        assertThat(paths.get(0).goals()).containsExactly("confirmed");
        assertThat(paths.get(0).steps()).extracting(DryRunPath.PathStep::blockId)
                .containsExactly("sms", "confirmed", "done");
        assertThat(paths.get(0).steps().get(0).outcome()).isEqualTo("reply contains \"yes\"");
        assertThat(paths.get(1).steps()).extracting(DryRunPath.PathStep::blockId)
                .containsExactly("sms", "call", "done");
        assertThat(paths.get(1).steps().get(1).at()).isEqualTo(Duration.ofHours(2));
        // the reply comes after the decision time: the timeout wins
        assertThat(paths.get(2).steps()).extracting(DryRunPath.PathStep::blockId)
                .containsExactly("sms", "call", "done");
        assertThat(paths.get(2).steps().get(1).outcome()).isEqualTo("status answered");
    }

    @Test
    void keysPressedInTheCallFollowKeyLinks() {
        List<DryRunPath> paths = run(template("voice-key2-sms-link"),
                b(Map.of("name", "presses 2", "voice", "ANSWERED", "dtmf", "2")),
                b(Map.of("name", "presses 1", "voice", "ANSWERED", "dtmf", "1")));
        assertThat(paths.get(0).steps()).extracting(DryRunPath.PathStep::blockId)
                .containsExactly("call", "link", "goal", "done");
        assertThat(paths.get(0).steps().get(1).message().text()).isEqualTo("Here is your link: https://example.com/r/c-1");
        assertThat(paths.get(0).goals()).containsExactly("link delivered");
        assertThat(paths.get(1).steps()).extracting(DryRunPath.PathStep::blockId).containsExactly("call", "done");
        assertThat(paths.get(1).steps().get(0).outcome()).isEqualTo("timeout");
    }

    @Test
    void longCyrillicSmsIsCountedInUcs2PartsAndCostedPerPart() {
        String text = "Здравствуйте! ".repeat(10);
        Scheme s = yaml(String.join("\n", "id: long", "version: 1", "start: sms", "blocks:",
                "  sms: { type: sms, content: { text: '" + text + "' }, decisionTime: PT1H,"
                        + " links: [ { on: timeout, next: done } ] }",
                "  done: { type: end }"));
        DryRunPath p = run(s, b(Map.of("name", "x"))).get(0);
        DryRunPath.PathMessage m = p.steps().get(0).message();
        assertThat(m.encoding()).isEqualTo("UCS2");
        assertThat(m.segments()).isEqualTo(3);
        assertThat(m.cost()).isEqualTo(15);
        assertThat(SchemeEstimates.of(s, dryRun.prices())).singleElement().satisfies(e -> {
            assertThat(e.segments()).isEqualTo(3);
            assertThat(e.encoding()).isEqualTo("UCS2");
            assertThat(e.cost()).isEqualTo(15);
        });
    }

    @Test
    void splitsTakeTheBranchTheBehaviourAsksForAndDelaysAreJumped() {
        Scheme s = yaml(String.join("\n", "id: ab", "version: 1", "start: split", "blocks:",
                "  split:", "    type: split", "    branches:",
                "      - { name: a, percent: 50, next: wait }",
                "      - { name: b, percent: 50, next: viber }",
                "  wait: { type: delay, duration: P2D, next: done }",
                "  viber: { type: viber, content: { text: Hi }, decisionTime: PT1H,"
                        + " links: [ { on: status, status: read, next: won }, { on: timeout, next: done } ] }",
                "  won: { type: goal, name: read }",
                "  done: { type: end }"));
        List<DryRunPath> paths = run(s, b(Map.of("name", "a", "branches", Map.of("split", "a"))),
                b(Map.of("name", "b reads", "branches", Map.of("split", "b"), "viber", "READ")),
                b(Map.of("name", "b never reads", "branches", Map.of("split", "b"), "viber", "NEVER_READ")));
        assertThat(paths.get(0).steps()).extracting(DryRunPath.PathStep::blockId).containsExactly("split", "wait",
                "done");
        assertThat(paths.get(0).steps().get(2).at()).isEqualTo(Duration.ofDays(2));
        assertThat(paths.get(1).outcome()).isEqualTo("goal");
        assertThat(paths.get(1).steps().get(1).message().reported()).containsExactly("sent", "delivered", "read");
        assertThat(paths.get(1).totalCost()).isEqualTo(3);
        assertThat(paths.get(2).steps()).extracting(DryRunPath.PathStep::blockId).containsExactly("split", "viber",
                "done");
        assertThatThrownBy(() -> run(s, b(Map.of("name", "c", "branches", Map.of("split", "c")))))
                .hasMessageContaining("no branch \"c\"");
    }

    @Test
    void aLoopIsCutAtTheStepLimit() {
        Scheme s = yaml(String.join("\n", "id: loop", "version: 1", "start: sms", "blocks:",
                "  sms: { type: sms, content: { text: again }, decisionTime: PT1M,"
                        + " links: [ { on: timeout, next: sms } ] }"));
        DryRunPath p = run(s, b(Map.of("name", "silent", "sms", "SILENT"))).get(0);
        assertThat(p.outcome()).isEqualTo("truncated");
        assertThat(p.truncated()).isTrue();
        assertThat(p.steps()).hasSize(CascadeDryRun.MAX_STEPS);
    }

    @Test
    void behavioursAreCheckedWithClearMessages() {
        assertThatThrownBy(() -> b(Map.of("name", "x", "sms", "ANSWERED")))
                .hasMessageContaining("sms outcome \"ANSWERED\" is unknown").hasMessageContaining("DELIVERED");
        assertThatThrownBy(() -> b(Map.of("name", "x", "smss", "DELIVERED"))).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> b(Map.of("voice", "BUSY"))).hasMessageContaining("name is required");
        assertThatThrownBy(() -> b(Map.of("name", "x", "dtmf", "1a"))).hasMessageContaining("dtmf");
        assertThatThrownBy(() -> b(Map.of("name", "x", "replyAfter", "soon"))).hasMessageContaining("replyAfter");
        assertThatThrownBy(() -> dryRun.run(template("voice-sms"), List.of(), Map.of()).await())
                .hasMessageContaining("1..50 behaviours");
    }
}

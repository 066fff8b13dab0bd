package io.outdial.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.support.Flows;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatherNodeTest {

    private static final String MENU = """
            id: g
            version: 3
            start: ask
            nodes:
              ask:
                type: gather
                prompt: "Press 1 or 2"
                menu: { "1": one, "2": two }
                timeout: 5
                retries: 1
                noInput: "No key."
                noMatch: "Wrong key."
                bargeIn: %s
                onFail: failed
              one: { type: hangup }
              two: { type: hangup }
              failed: { type: hangup }
            """;

    private static final String DIGITS = """
            id: d
            version: 1
            start: ask
            nodes:
              ask:
                type: gather
                prompt: "Enter your code"
                digits: { min: 3, max: 5, terminator: "#", pattern: "[0-9]+" }
                next: done
                timeout: 5
                interDigitTimeout: 2
                retries: 0
                onFail: failed
              done: { type: hangup }
              failed: { type: hangup }
            """;

    private static Flows.Run menu(boolean bargeIn) {
        ValidationReport report = Flows.yaml(MENU.formatted(bargeIn));
        assertThat(report.errors()).as(report.render()).isEmpty();
        return new Flows.Run(report, Map.of(), null);
    }

    private static Flows.Run digits() {
        ValidationReport report = Flows.yaml(DIGITS);
        assertThat(report.errors()).as(report.render()).isEmpty();
        return new Flows.Run(report, Map.of(), null);
    }

    @Test
    void menuKeyAfterThePromptGoesToItsNodeAndIsTheAnswer() {
        Flows.Run run = menu(true);
        run.call.finishPlayback();
        run.call.press("2");
        assertThat(run.result().answers()).containsEntry("ask", "2");
        assertThat(run.result().endNode()).isEqualTo("two");
        assertThat(run.result().flowVersion()).isEqualTo(3);
    }

    @Test
    void keyDuringThePromptStopsItWhenBargeInIsOn() {
        Flows.Run run = menu(true);
        String playback = run.call.lastPlaybackId();
        run.call.press("1");
        assertThat(run.call.commands()).anyMatch(c -> c.kind().equals("stop") && c.id().equals(playback));
        assertThat(run.result().endNode()).isEqualTo("one");
    }

    @Test
    void keyDuringThePromptIsIgnoredWhenBargeInIsOff() {
        Flows.Run run = menu(false);
        run.call.press("1");
        assertThat(run.results).isEmpty();
        assertThat(run.call.kinds()).doesNotContain("stop");
        run.call.finishPlayback();
        run.call.press("1");
        assertThat(run.result().endNode()).isEqualTo("one");
    }

    @Test
    void noInputRepeatsWithTheNoInputPromptThenGoesToOnFail() {
        Flows.Run run = menu(true);
        run.call.finishPlayback();
        run.call.advance(Duration.ofMillis(4999));
        assertThat(run.call.kinds()).containsExactly("play");
        run.call.advance(Duration.ofMillis(1));
        assertThat(run.call.lastPlayed()).containsExactly("No key.", "Press 1 or 2");
        run.call.finishPlayback();
        run.call.advance(Duration.ofSeconds(5));
        assertThat(run.result().endNode()).isEqualTo("failed");
        assertThat(run.result().answers()).isEmpty();
        assertThat(run.result().completion()).isEqualTo(FlowResult.Completion.COMPLETED);
    }

    @Test
    void keyOutsideTheMenuIsANoMatch() {
        Flows.Run run = menu(true);
        run.call.finishPlayback();
        run.call.press("7");
        assertThat(run.call.lastPlayed()).containsExactly("Wrong key.", "Press 1 or 2");
        run.call.press("1");
        assertThat(run.result().endNode()).isEqualTo("one");
    }

    @Test
    void terminatorEndsADigitString() {
        Flows.Run run = digits();
        run.call.finishPlayback();
        run.call.press("1234#");
        assertThat(run.result().answers()).containsEntry("ask", "1234");
        assertThat(run.result().endNode()).isEqualTo("done");
    }

    @Test
    void maxLengthEndsADigitStringWithoutTerminator() {
        Flows.Run run = digits();
        run.call.press("12345");
        assertThat(run.result().answers()).containsEntry("ask", "12345");
    }

    @Test
    void interDigitTimeoutEndsADigitString() {
        Flows.Run run = digits();
        run.call.finishPlayback();
        run.call.press("123");
        run.call.advance(Duration.ofSeconds(2));
        assertThat(run.result().answers()).containsEntry("ask", "123");
    }

    @Test
    void tooShortDigitStringIsANoMatchAndWithoutRetriesGoesToOnFail() {
        Flows.Run run = digits();
        run.call.finishPlayback();
        run.call.press("12#");
        assertThat(run.result().endNode()).isEqualTo("failed");
        assertThat(run.result().answers()).isEmpty();
    }

    @Test
    void digitStringNotMatchingThePatternIsANoMatch() {
        Flows.Run run = digits();
        run.call.finishPlayback();
        run.call.press("12*4#");
        assertThat(run.result().endNode()).isEqualTo("failed");
    }

    @Test
    void firstDigitTimeoutStartsOnlyAfterThePromptEnds() {
        Flows.Run run = digits();
        run.call.advance(Duration.ofSeconds(60));
        assertThat(run.results).isEmpty();
        run.call.finishPlayback();
        run.call.advance(Duration.ofSeconds(5));
        assertThat(run.result().endNode()).isEqualTo("failed");
    }
}

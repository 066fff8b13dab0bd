package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.support.Flows;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-field checks of each node type: one bad node, one error at the expected path saying what is wrong. */
class NodeFieldChecksTest {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{ type: gather, prompt: Hi, menu: { '1': end }, next: end, onFail: end }"
            + "| $.nodes.a.next | \"next\" is only for digits",
        "{ type: gather, prompt: Hi, onFail: end }"
            + "| $.nodes.a | exactly one of \"menu\"",
        "{ type: gather, prompt: Hi, menu: {}, onFail: end }"
            + "| $.nodes.a.menu | invalid key map: the menu is empty",
        "{ type: gather, prompt: Hi, digits: { min: 5, max: 2 }, next: end, onFail: end }"
            + "| $.nodes.a.digits | expected 1 <= min <= max <= 64",
        "{ type: gather, prompt: Hi, digits: { terminator: 'x' }, next: end, onFail: end }"
            + "| $.nodes.a.digits.terminator | which is not a key",
        "{ type: gather, prompt: Hi, digits: {}, onFail: end }"
            + "| $.nodes.a.next | missing \"next\"",
        "{ type: gather, prompt: Hi, menu: { '1': end }, retries: 11, onFail: end }"
            + "| $.nodes.a.retries | expected 0 to 10",
        "{ type: gather, prompt: Hi, menu: { '1': end }, timeout: 0, onFail: end }"
            + "| $.nodes.a.timeout | must be more than 0 seconds",
        "{ type: gather, prompt: Hi, menu: { '1': end } }"
            + "| $.nodes.a.onFail | missing \"onFail\"",
        "{ type: play, uri: 'http://x/a.wav', next: end }"
            + "| $.nodes.a.uri | is not playable",
        "{ type: record, finishKey: 'x', next: end }"
            + "| $.nodes.a.finishKey | which is not a key",
        "{ type: record, maxLength: 0, next: end }"
            + "| $.nodes.a.maxLength | must be more than 0 seconds",
        "{ type: set, next: end }"
            + "| $.nodes.a.values | needs \"values\"",
        "{ type: message, next: end }"
            + "| $.nodes.a.event | needs \"event\"",
        "{ type: goal, next: end }"
            + "| $.nodes.a.name | needs \"name\"",
        "{ type: transfer, onUnanswered: end }"
            + "| $.nodes.a.number | needs \"number\"",
        "{ type: transfer, number: '+1', onBridged: end }"
            + "| $.nodes.a.onUnanswered | missing \"onUnanswered\"",
        "{ type: branch, cases: [ { when: { subject: amd, op: eq }, next: end } ], default: end }"
            + "| $.nodes.a.cases[0].when | takes one \"value\", got 0",
        "{ type: branch, cases: [ { when: { subject: amd, op: like, value: x }, next: end } ], default: end }"
            + "| $.nodes.a.cases[0].when.op | unknown operator \"like\"",
        "{ type: branch, cases: [ { when: { subject: amd, op: matches, value: '(' }, next: end } ], default: end }"
            + "| $.nodes.a.cases[0].when.value | not a valid regular expression",
        "{ type: branch, cases: [ { next: end } ], default: end }"
            + "| $.nodes.a.cases[0].when | a case needs \"when\"",
        "{ type: branch, cases: [], }"
            + "| $.nodes.a.default | missing \"default\"",
        "{ type: say, text: Hi, voice: { engine: freetts }, next: end }"
            + "| $.nodes.a.voice | needs both \"engine\" and \"voice\"",
        "{ type: gather, prompt: [ { say: Hi, play: 'sound:x' } ], menu: { '1': end }, onFail: end }"
            + "| $.nodes.a.prompt[0] | exactly one of \"say\"",
    })
    void badFieldIsReportedAtItsPath(String node, String path, String fragment) {
        ValidationReport report = Flows.yaml("id: f\nversion: 1\nstart: a\nnodes:\n  a: " + node
                + "\n  end: { type: hangup }\n");
        List<ValidationError> errors = report.errorsOnly();
        assertThat(errors).as(report.render()).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.nodeId()).isEqualTo("a");
            assertThat(e.message()).contains(fragment);
        });
        assertThat(report.isValid()).isFalse();
    }
}

package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.support.Flows;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowValidatorTest {

    private static final String HEAD = "id: f\nversion: 1\nstart: a\n";

    private static List<ValidationError> errors(String yaml) {
        return Flows.yaml(yaml).errorsOnly();
    }

    private static void assertOneError(String yaml, String path, String nodeId, String fragment) {
        List<ValidationError> errors = errors(yaml);
        assertThat(errors).as(errors.toString()).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.nodeId()).isEqualTo(nodeId);
            assertThat(e.message()).contains(fragment);
        });
    }

    @Test
    void unknownNodeTypeIsNamedWithTheExpectedTypes() {
        assertOneError(HEAD + "nodes:\n  a: { type: dance, next: b }\n  b: { type: hangup }\n",
                "$.nodes.a.type", "a", "unknown node type \"dance\"; expected one of say, play, gather");
    }

    @Test
    void unknownNodeTypeIsTheOnlyErrorNotAlsoADanglingLinkToIt() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n  a: { type: say, text: Hi, next: b }\n"
                + "  b: { type: dance }\n");
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.path()).isEqualTo("$.nodes.b.type"));
    }

    @Test
    void unknownFieldIsNamedWithTheFieldsOfThatNodeType() {
        assertOneError(HEAD + "nodes:\n  a: { type: say, text: Hi, nxt: b }\n  b: { type: hangup }\n",
                "$.nodes.a.nxt", "a", "unknown field \"nxt\" in a say node; expected one of description, next, text");
    }

    @Test
    void missingAndDanglingNextAreBothReported() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n  a: { type: say, text: Hi, next: nowhere }\n"
                + "  b: { type: say, text: Hi }\n  c: { type: hangup }\n");
        assertThat(errors).extracting(ValidationError::path).contains("$.nodes.a.next", "$.nodes.b.next");
        assertThat(errors).anyMatch(e -> e.message().contains("\"next\" leads to \"nowhere\", which is not a node"));
        assertThat(errors).anyMatch(e -> e.message().contains("missing \"next\""));
    }

    @Test
    void unreachableNodeIsReported() {
        assertOneError(HEAD + "nodes:\n  a: { type: hangup }\n  lost: { type: hangup }\n",
                "$.nodes.lost", "lost", "unreachable from start \"a\"");
    }

    @Test
    void loopWithoutCalleeInputIsReported() {
        List<ValidationError> errors = errors(HEAD + "variables: { x: '' }\nnodes:\n"
                + "  a: { type: set, values: { x: '1' }, next: b }\n"
                + "  b: { type: branch, default: a,\n"
                + "       cases: [ { when: { subject: vars.x, op: eq, value: '2' }, next: end } ] }\n"
                + "  end: { type: hangup }\n");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("a");
            assertThat(e.message()).contains("loop a -> b -> a never asks the callee");
        });
    }

    @Test
    void retryLoopThroughATransferWithoutAGatherIsRejected() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n"
                + "  a: { type: transfer, number: '+1555', onUnanswered: b }\n"
                + "  b: { type: say, text: 'Trying again', next: a }\n");
        assertThat(errors).singleElement().satisfies(e ->
                assertThat(e.message()).contains("loop a -> b -> a never asks the callee"));
    }

    @Test
    void cycleWithNoWayToAnEndIsReported() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n"
                + "  a: { type: gather, prompt: Hi, menu: { '1': b }, onFail: a }\n"
                + "  b: { type: say, text: again, next: a }\n");
        assertThat(errors).extracting(ValidationError::path).contains("$.nodes.a", "$.nodes.b");
        assertThat(errors).allMatch(e -> e.message().contains("reaches an end"));
    }

    @Test
    void menuGatherWithARepeatLoopIsAccepted() {
        assertThat(errors(HEAD + "nodes:\n"
                + "  a: { type: gather, prompt: Hi, menu: { '1': b, '2': end }, onFail: end }\n"
                + "  b: { type: say, text: again, next: a }\n  end: { type: hangup }\n")).isEmpty();
    }

    @Test
    void missingPromptIsReported() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n"
                + "  a: { type: gather, menu: { '1': b }, onFail: b }\n  b: { type: say, next: c }\n"
                + "  c: { type: play, next: d }\n  d: { type: hangup }\n");
        assertThat(errors).extracting(ValidationError::path)
                .contains("$.nodes.a.prompt", "$.nodes.b.text", "$.nodes.c.uri");
        assertThat(errors).allMatch(e -> e.message().startsWith("missing prompt"));
    }

    @Test
    void invalidMenuKeysAreReportedEachOnce() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n"
                + "  a: { type: gather, prompt: Hi, menu: { '1': b, 'x': b, '12': b }, onFail: b }\n"
                + "  b: { type: hangup }\n");
        assertThat(errors).extracting(ValidationError::path).containsExactly("$.nodes.a.menu.x", "$.nodes.a.menu.12");
        assertThat(errors).allMatch(e -> e.message().startsWith("invalid key map"));
    }

    @Test
    void duplicateMenuKeyIsReportedWithLineAndColumn() {
        ParsedFlow parsed = FlowDocuments.parse("{\"id\":\"f\",\"version\":1,\"start\":\"a\",\"nodes\":{\n"
                + "\"a\":{\"type\":\"gather\",\"prompt\":\"Hi\",\"menu\":{\"1\":\"b\",\"1\":\"a\"},\"onFail\":\"b\"},\n"
                + "\"b\":{\"type\":\"hangup\"}}}", FlowDocuments.Format.JSON);
        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.nodes.a.menu.1");
            assertThat(e.nodeId()).isEqualTo("a");
            assertThat(e.message()).contains("line 2, column").contains("key \"1\" appears more than once");
        });
    }

    @Test
    void badDigitPatternIsReported() {
        assertOneError(HEAD + "nodes:\n"
                + "  a: { type: gather, prompt: Hi, digits: { min: 1, max: 4, pattern: '[0-9' }, next: b, onFail: b }\n"
                + "  b: { type: hangup }\n", "$.nodes.a.digits.pattern", "a", "not a valid regular expression");
    }

    @Test
    void unknownVariablesInTemplatesSetAndBranchAreReported() {
        List<ValidationError> errors = errors(HEAD + "variables: { known: '' }\nnodes:\n"
                + "  a: { type: say, text: 'Hi {{vars.nope}} {{answers.a}} {{weird.x}}', next: b }\n"
                + "  b: { type: set, values: { other: '1' }, next: c }\n"
                + "  c: { type: branch, default: d,\n"
                + "       cases: [ { when: { subject: vars.missing, op: empty }, next: d } ] }\n"
                + "  d: { type: hangup }\n");
        assertThat(errors).extracting(ValidationError::path)
                .containsExactly("$.nodes.a.text", "$.nodes.a.text", "$.nodes.a.text", "$.nodes.b.values.other",
                        "$.nodes.c.cases[0].when.subject");
        assertThat(errors.get(0).message()).contains("unknown variable \"nope\"");
        assertThat(errors.get(1).message()).contains("\"a\", which is not a gather node");
        assertThat(errors.get(2).message()).contains("not a known reference");
    }

    @Test
    void unknownVoiceIsReportedForTheFlowAndANode() {
        List<ValidationError> errors = errors("id: f\nversion: 1\nstart: a\nvoice: { engine: espeak-ng, voice: xx }\n"
                + "nodes:\n  a: { type: say, text: Hi, voice: { engine: acme, voice: bob }, next: b }\n"
                + "  b: { type: hangup }\n");
        assertThat(errors).extracting(ValidationError::path).containsExactly("$.voice", "$.nodes.a.voice");
        assertThat(errors).allMatch(e -> e.message().startsWith("unknown voice"));
    }

    @Test
    void wrongValueTypesAreReportedOnceNotAlsoAsMissing() {
        List<ValidationError> errors = errors(HEAD + "nodes:\n  a: { type: say, text: [1], next: 5 }\n");
        assertThat(errors).filteredOn(e -> e.path().startsWith("$.nodes.a."))
                .extracting(ValidationError::path).containsExactly("$.nodes.a.text", "$.nodes.a.next");
        assertThat(errors).filteredOn(e -> e.path().startsWith("$.nodes.a."))
                .allMatch(e -> e.message().startsWith("expected a string"));
    }

    @Test
    void syntaxErrorIsAnErrorWithLineAndColumnNotAnException() {
        ValidationReport report = FlowValidator.validate("id: f\nnodes: [\n", FlowDocuments.Format.YAML, Flows.VOICES);
        assertThat(report.isValid()).isFalse();
        assertThat(report.errors()).singleElement().satisfies(e ->
                assertThat(e.message()).contains("line").contains("YAML syntax error"));
        // one line: no parser snippet or caret
        ValidationReport flowMap = FlowValidator.validate("id: f\nstart: {a: 1\nnodes: x\n",
                FlowDocuments.Format.YAML, Flows.VOICES);
        assertThat(flowMap.errors()).singleElement().satisfies(e -> assertThat(e.render()).doesNotContain("\n")
                .doesNotContain("^").contains("expected ',' or '}'"));
        ValidationReport json = FlowValidator.validate("{\"id\": }", FlowDocuments.Format.JSON, Flows.VOICES);
        assertThat(json.errors().get(0).render()).startsWith("ERROR $: line 1, column");
    }

    @Test
    void everyErrorOfADocumentIsReturnedAtOnce() {
        List<ValidationError> errors = errors("version: 0\nstart: nowhere\nnodes:\n"
                + "  a: { type: say, text: '', next: a }\n"
                + "  b: { type: gather, prompt: x, menu: { '#': a, 'A': z } }\n");
        assertThat(errors).extracting(ValidationError::path).contains("$.id", "$.version", "$.start",
                "$.nodes.a.text", "$.nodes.b.menu.A", "$.nodes.b.onFail", "$.nodes.a");
    }

    @Test
    void silentOnlyAfterABridgedTransfer() {
        assertOneError(HEAD + "nodes:\n  a: { type: transfer, number: '+1555', onBridged: b, onUnanswered: c }\n"
                + "  b: { type: say, text: hi, next: c }\n  c: { type: hangup }\n",
                "$.nodes.a.onBridged", "a", "\"b\" is a say node");
    }

    @Test
    void renderNamesSeverityPathNodeAndMessage() {
        assertThat(ValidationError.error("q1", "$.nodes.q1.menu.x", "bad").render())
                .isEqualTo("ERROR $.nodes.q1.menu.x [node q1]: bad");
    }

    @Test
    void duplicateKeyInYamlIsReportedToo() {
        ParsedFlow parsed = FlowDocuments.parse(HEAD + "nodes:\n  a: { type: hangup }\n  a: { type: hangup }\n",
                FlowDocuments.Format.YAML);
        assertThat(parsed.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.nodes.a");
            assertThat(e.message()).contains("line 6").contains("key \"a\" appears more than once");
        });
    }
}

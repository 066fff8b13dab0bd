package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.ivr.support.Flows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The published schema (docs/flow.schema.json) names exactly the node types and fields the reader accepts. */
class FlowSchemaTest {

    private static JsonNode schema() throws Exception {
        return new ObjectMapper().readTree(Path.of("..", "docs", "flow.schema.json").toFile());
    }

    private static Set<String> names(JsonNode obj) {
        Set<String> out = new HashSet<>();
        obj.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void schemaListsEveryNodeTypeOfTheLanguage() throws Exception {
        List<String> types = new ArrayList<>();
        schema().at("/$defs/node/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).containsExactlyElementsOf(
                Arrays.stream(NodeType.values()).map(NodeType::json).collect(Collectors.toList()));
    }

    @Test
    void schemaFieldsOfEachNodeTypeMatchTheReader() throws Exception {
        JsonNode defs = schema().get("$defs");
        for (NodeType t : NodeType.values()) {
            assertThat(names(defs.at("/" + t.json() + "/properties"))).as(t.json()).isEqualTo(t.fields());
            assertThat(defs.at("/" + t.json() + "/additionalProperties").asBoolean(true)).isFalse();
        }
    }

    @Test
    void schemaTopLevelFieldsMatchTheReader() throws Exception {
        assertThat(names(schema().get("properties"))).isEqualTo(FlowBinder.FLOW_FIELDS);
    }

    @Test
    void bundledSchemaIsThePublishedOne() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "flow.schema.json"));
        String bundled;
        try (var in = FlowSchema.class.getResourceAsStream("flow.schema.json")) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(bundled).as("ivr/src/main/resources/io/outdial/ivr/flow/flow.schema.json is a copy of"
                + " docs/flow.schema.json; copy it again after changing the schema").isEqualTo(docs);
        assertThat(schema().get("$id").asText()).isEqualTo(FlowSchema.SCHEMA_ID);
    }

    @Test
    void schemaViolationIsReportedWithPathAndLine() {
        ValidationReport report = Flows.yaml("id: f\nversion: 1\nstart: a\ndescription: [x]\n"
                + "nodes:\n  a: { type: hangup }\n");
        assertThat(report.isValid()).isFalse();
        assertThat(report.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.description");
            assertThat(e.message()).startsWith("line 4, column 1: schema:").contains("string expected");
        });
    }

    @Test
    void schemaSpeaksOfTheNodesOwnTypeOnly() {
        // a gather node is not told it "must be the constant value 'say'" by the other branches of the oneOf
        ParsedFlow parsed = FlowDocuments.parse("{\"id\": \"f\", \"version\": 1, \"start\": \"a\", \"nodes\": {\n"
                + "\"a\": {\"type\": \"gather\", \"prompt\": \"Hi\", \"retries\": 11, \"menu\": {\"1\": \"b\"},"
                + " \"onFail\": \"b\"},\n\"b\": {\"type\": \"hangup\"}}}", FlowDocuments.Format.JSON);
        assertThat(parsed.schemaErrors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.nodes.a.retries");
            assertThat(e.nodeId()).isEqualTo("a");
            assertThat(e.message()).startsWith("line 2, column").contains("maximum value of 10");
        });
    }

    @Test
    void aProblemTheValidatorNamesIsNotAlsoReportedByTheSchema() {
        // the validator says "expected 0 to 10" at the same path: one error, the validator's
        ValidationReport report = Flows.yaml("id: f\nversion: 1\nstart: a\nnodes:\n"
                + "  a: { type: gather, prompt: Hi, retries: 11, menu: { '1': b }, onFail: b }\n  b: { type: hangup }\n");
        assertThat(report.errorsOnly()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("$.nodes.a.retries");
            assertThat(e.message()).doesNotContain("schema:");
        });
    }

    @Test
    void theExamplesPassTheSchema() {
        for (String example : List.of("appointment-reminder.yaml", "broadcast-operator-unsubscribe.json",
                "survey-3-questions.json")) {
            assertThat(FlowDocuments.parse(Path.of("examples", example)).schemaErrors()).as(example).isEmpty();
        }
    }
}

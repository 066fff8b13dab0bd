package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}

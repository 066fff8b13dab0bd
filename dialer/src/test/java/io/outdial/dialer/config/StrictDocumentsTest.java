package io.outdial.dialer.config;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictDocumentsTest {

    @Test
    void aDuplicateJsonKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> StrictDocuments.read("{\"id\": \"a\", \"limits\": {\"lines\": 3, \"lines\": 8}}",
            false, "body"))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.limits.lines");
                assertThat(e.problems().get(0).reason()).isEqualTo(Reason.DUPLICATE_KEY);
            })
            .hasMessageStartingWith("body: line 1, column ")
            .hasMessageContaining("duplicate key \"lines\" at $.limits.lines");
    }

    @Test
    void aDuplicateYamlKeyIsRefusedWithItsPathAlsoInsideALists() {
        String yaml = "id: a\nattempts:\n  rules:\n    - {outcome: BUSY, outcome: NO_ANSWER}\n";
        assertThatThrownBy(() -> StrictDocuments.read(yaml, true, "campaign file c.yaml"))
            .hasMessageContaining("duplicate key \"outcome\" at $.attempts.rules[0].outcome");
        assertThatThrownBy(() -> StrictDocuments.read("id: a\nid: b\n", true, "c.yaml"))
            .hasMessageStartingWith("c.yaml: line 2, column ").hasMessageContaining("duplicate key \"id\" at $.id");
    }

    @Test
    void badYamlIsOneLineWithLineAndColumn() {
        assertThatThrownBy(() -> StrictDocuments.read("id: a\nlimits: {lines: 3\nname: x\n", true, "c.yaml"))
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").matches(
                "c\\.yaml: line \\d+, column \\d+: .+").contains("expected ',' or '}'").doesNotContain("^"));
    }

    @Test
    void aValidDocumentReadsAsBefore() {
        assertThat(StrictDocuments.read("id: a\nlimits: {lines: 3}\n", true, "c.yaml").path("limits").path("lines")
            .asInt()).isEqualTo(3);
    }
}

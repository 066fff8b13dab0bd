package io.outdial.dialer.api;

import io.outdial.dialer.server.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Definition bodies of the campaign API: parsed as JSON or YAML, errors naming the field. */
class CampaignDefinitionTest {
    @Test
    void fieldIsTakenFromTheParsersMessage() {
        assertThat(CampaignHandlers.fieldOf("campaign definition: unknown field(s) [limts, foo]; known: [...]"))
            .isEqualTo("limts");
        assertThat(CampaignHandlers.fieldOf("campaign definition: field timeZone \"Mars\" is not a zone"))
            .isEqualTo("timeZone");
        assertThat(CampaignHandlers.fieldOf("campaign definition: attempts.rules outcome \"X\" is not one of"))
            .isEqualTo("attempts.rules");
        assertThat(CampaignHandlers.fieldOf("campaign definition: trunk: maxCps 0 is too low")).isEqualTo("trunk");
        assertThat(CampaignHandlers.fieldOf("campaign definition: endsAt 2026-01-01T00:00:00Z is not after startsAt"))
            .isEqualTo("endsAt");
        assertThat(CampaignHandlers.fieldOf("campaign definition: expected a mapping of fields")).isNull();
    }

    @Test
    void yamlAndJsonGiveTheSameDefinition() {
        String yaml = "id: y1\nregion: UA\nlimits: {lines: 3}\n";
        String json = "{\"id\": \"y1\", \"region\": \"UA\", \"limits\": {\"lines\": 3}}";
        assertThat(CampaignHandlers.definition(yaml, true, null).stored())
            .isEqualTo(CampaignHandlers.definition(json, false, null).stored());
    }

    @Test
    void theUrlIdFillsAMissingIdAndMustMatchAGivenOne() {
        assertThat(CampaignHandlers.definition("{\"region\": \"UA\"}", false, "c9").settings().campaignId())
            .isEqualTo("c9");
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c8\"}", false, "c9"))
            .isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("id");
            });
        assertThatThrownBy(() -> CampaignHandlers.definition("id: [unclosed", true, null))
            .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.error()).isEqualTo("malformed_body"));
    }
}

package io.outdial.dialer.api;

import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.server.ProblemException;
import java.util.List;
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

    private static void badRequest(String json, String field, String message) {
        assertThatThrownBy(() -> CampaignHandlers.definition(json, false, null))
            .isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo(field);
                assertThat(e.getMessage()).contains(message);
            });
    }

    @Test
    void aPhoneColumnWithoutColumnOrWithABadLabelIsA400NamingColumnsPhones() {
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [{\"label\": \"mobile\"}]}}", "columns.phones",
            "columns.phones entry {\"label\":\"mobile\"} names no column");
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [{\"column\": null}]}}", "columns.phones",
            "names no column");
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [1]}}", "columns.phones", "names no column");
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [null]}}", "columns.phones", "names no column");
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [{\"column\": \"m\", \"label\": \"a=b\"}]}}",
            "columns.phones", "label \"a=b\" must not contain '=' or '|'");
        badRequest("{\"id\": \"c1\", \"columns\": {\"phones\": [{\"column\": \"m\", \"label\": \"a|b\"}]}}",
            "columns.phones", "label \"a|b\" must not contain");
        assertThat(CampaignHandlers.definition("{\"id\": \"c1\", \"columns\": {\"phones\": [\"Tel|Home\","
            + " {\"column\": \"m\", \"label\": \"cell\"}]}}", false, null).columns().phones())
            .extracting(ColumnMapping.PhoneColumn::label).containsExactly("tel_home", "cell");
    }

    @Test
    void aBadImportMappingIsA400NotA500() {
        for (String mapping : List.of("{\"phones\": [1]}", "{\"phones\": [null]}", "{\"phones\": [{}]}",
            "{\"phones\": [{\"column\": \"m\", \"label\": \"x=y\"}]}")) {
            assertThatThrownBy(() -> ImportHandlers.mapping("c1", mapping)).as(mapping)
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("mapping");
                    assertThat(e.getMessage()).contains("columns.phones");
                });
        }
    }

    @Test
    void aNameLongerThanTheColumnIsA400() {
        badRequest("{\"id\": \"c1\", \"name\": \"" + "n".repeat(201) + "\"}", "name",
            "field name is 201 characters; at most 200");
        assertThat(CampaignHandlers.definition("{\"id\": \"c1\", \"name\": \"" + "n".repeat(200) + "\"}", false, null)
            .name()).hasSize(200);
    }

    @Test
    void aRegionLibphonenumberDoesNotKnowIsA400() {
        badRequest("{\"id\": \"c1\", \"region\": \"ua\"}", "region", "did you mean \"UA\"?");
        badRequest("{\"id\": \"c1\", \"region\": \"XX\"}", "region", "field region \"XX\" is not a region code");
        badRequest("{\"id\": \"c1\", \"region\": \"\"}", "region", "field region \"\"");
        assertThat(CampaignHandlers.definition("{\"id\": \"c1\", \"region\": \"FR\"}", false, null).region())
            .isEqualTo("FR");
        assertThat(CampaignHandlers.definition("{\"id\": \"c1\"}", false, null).region()).isEqualTo("US");
    }
}

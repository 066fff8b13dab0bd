package io.outdial.dialer.api;

import io.outdial.dialer.contact.ColumnMapping;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Definition bodies of the campaign API: parsed as JSON or YAML, errors naming the field. */
class CampaignDefinitionTest {
    @Test
    void problemsCarryTheSourcePathValueExpectedAndReason() {
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c1\", \"attempts\": {\"rules\": [{\"outcome\":"
            + " \"BUSY\"}, {\"outcome\": \"SLEEPY\"}]}}", false, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.source()).isEqualTo("campaign definition");
                    assertThat(p.path()).isEqualTo("$.attempts.rules[1].outcome");
                    assertThat(p.value()).isEqualTo("SLEEPY");
                    assertThat(p.expected()).startsWith("one of [");
                    assertThat(p.reason()).isEqualTo(Reason.NOT_ALLOWED);
                });
                assertThat(e.field()).isEqualTo("attempts.rules");
            });
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c1\", \"limts\": {}}", false, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.limts");
                assertThat(e.problems().get(0).reason()).isEqualTo(Reason.UNKNOWN_KEY);
            });
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c1\", \"limits\": {\"lines\": 0}}", false,
            null)).isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.limits.lines");
                assertThat(e.problems().get(0).value()).isEqualTo("0");
                assertThat(e.problems().get(0).expected()).isEqualTo("at least 1");
                assertThat(e.problems().get(0).reason()).isEqualTo(Reason.OUT_OF_RANGE);
            });
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c1\", \"trunk\": {\"maxCps\": 0}}", false,
            null)).isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.field()).isEqualTo("trunk"));
        assertThatThrownBy(() -> CampaignHandlers.definition("{\"id\": \"c1\", \"startsAt\":"
            + " \"2026-02-01T00:00:00Z\", \"endsAt\": \"2026-01-01T00:00:00Z\"}", false, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.field()).isEqualTo("endsAt"));
        assertThatThrownBy(() -> CampaignHandlers.definition("[1]", false, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.field()).isNull());
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
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.field()).isEqualTo("id");
            });
        assertThatThrownBy(() -> CampaignHandlers.definition("id: [unclosed", true, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.code()).isEqualTo("malformed_body"));
    }

    private static void badRequest(String json, String field, String message) {
        assertThatThrownBy(() -> CampaignHandlers.definition(json, false, null))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
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
                .isInstanceOfSatisfying(InvalidInput.class, e -> {
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

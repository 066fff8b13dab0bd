package io.outdial.dialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outdial.dialer.contact.PhoneRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignFileTest {
    @TempDir
    Path dir;

    private static JsonNode yaml(String text) throws Exception {
        return new YAMLMapper().readTree(text);
    }

    @Test
    void fileRoundTripsThroughTheStoredForm() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, String.join("\n",
                "id: spring",
                "contacts: contacts.csv",
                "flow: flows/f.yaml",
                "priority: 5",
                "weight: 3",
                "alwaysActive: true",
                "startsAt: 2026-12-01T09:00:00+02:00",
                "limits: {lines: 7, perSecond: 2}",
                "phoneRule: {maxFailuresPerPhone: 3, slots: [{hours: '09:00-18:00', labels: [work, mobile]}]}",
                "columns: {phones: [{column: Mobile, label: mobile}, Work], id: Ref, timeZone: TZ}",
                ""));
        CampaignFile loaded = CampaignFile.load(f);
        assertThat(loaded.contacts()).isEqualTo(dir.resolve("contacts.csv").toAbsolutePath().normalize());
        assertThat(loaded.priority()).isEqualTo(5);
        assertThat(loaded.weight()).isEqualTo(3);
        assertThat(loaded.alwaysActive()).isTrue();
        assertThat(loaded.startsAt()).isEqualTo(Instant.parse("2026-12-01T07:00:00Z"));
        assertThat(loaded.settings().phoneRule().maxFailuresPerPhone()).isEqualTo(3);
        assertThat(loaded.settings().phoneRule().slots()).containsExactly(
                new PhoneRule.Slot(LocalTime.of(9, 0), LocalTime.of(18, 0), java.util.List.of("work", "mobile")));
        assertThat(loaded.columns().phones()).extracting(p -> p.column() + "=" + p.label())
                .containsExactly("Mobile=mobile", "Work=work");
        assertThat(loaded.columns().idColumn()).isEqualTo("Ref");

        var row = loaded.draft(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(row.state()).isEqualTo(CampaignState.DRAFT);
        assertThat(row.priority()).isEqualTo(5);
        assertThat(row.weight()).isEqualTo(3);

        CampaignFile back = CampaignFile.fromStored("spring", row.settings());
        assertThat(back.contacts()).isEqualTo(loaded.contacts());
        assertThat(back.flow()).isEqualTo(dir.resolve("flows/f.yaml").toAbsolutePath().normalize());
        assertThat(back.settings().lines().campaigns()).containsEntry("spring", 7);
        assertThat(back.settings().phoneRule()).isEqualTo(loaded.settings().phoneRule());
        assertThat(back.columns()).isEqualTo(loaded.columns());
    }

    @Test
    void aDefinitionWithoutContactsIsValidForTheApiButNotForRun() throws Exception {
        CampaignFile f = CampaignFile.parse(yaml("id: api1\nflowId: survey\n"), null, "body");
        assertThat(f.contacts()).isNull();
        assertThat(f.flowId()).isEqualTo("survey");
        assertThat(f.flowVersion()).isZero();
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "id: x\n");
        assertThatThrownBy(() -> CampaignFile.load(file)).hasMessageContaining("field contacts");
    }

    @Test
    void outOfRangeNumbersAreRefusedNotWrappedAround() throws Exception {
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\npriority: 2147483648\n"), null, "body"))
                .hasMessageContaining("field priority is 2147483648, out of range");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\npriority: \"99999999999\"\n"), null, "body"))
                .hasMessageContaining("field priority is 99999999999, out of range");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nattempts: {totalCap: 4294967297}\n"), null, "body"))
                .hasMessageContaining("field totalCap is 4294967297, out of range");
        assertThatThrownBy(() -> CampaignFile.parse(yaml(
                "id: a\nattempts: {rules: [{outcome: BUSY, retryAfter: 1m, maxRetries: 4294967296}]}\n"), null, "body"))
                .hasMessageContaining("field maxRetries is 4294967296, out of range");
        assertThat(CampaignFile.parse(yaml("id: a\npriority: -2147483648\n"), null, "body").priority())
                .isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nlimts: {lines: 3}\n"), null, "body"))
                .hasMessageContaining("unknown field(s) [limts]");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a b\n"), null, "body"))
                .hasMessageContaining("id \"a b\"");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nweight: 0\n"), null, "body"))
                .hasMessageContaining("weight is 0, must be at least 1");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nlimits: {lines: many}\n"), null, "body"))
                .hasMessageContaining("lines must be a whole number");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ntimeZone: Mars/Base\n"), null, "body"))
                .hasMessageContaining("Mars/Base");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ncontacts: rel.csv\n"), null, "body"))
                .hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nflow: /f.yaml\nflowId: s\n"), null, "body"))
                .hasMessageContaining("either flow");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nstartsAt: tomorrow\n"), null, "body"))
                .hasMessageContaining("startsAt \"tomorrow\"");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ncalendar: {everyDay: ['25:00-26:00']}\n"), null,
                "body")).hasMessageStartingWith("body: ");
        assertThatThrownBy(() -> CampaignFile.fromStored("b", "{\"id\":\"a\"}")).hasMessageContaining("has id a");
        assertThatThrownBy(() -> CampaignFile.fromStored("b", null)).hasMessageContaining("no stored definition");
    }

    @Test
    void aRefusalOfACampaignFileNamesTheFileThePathTheValueAndTheReason() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "id: a\ncontacts: c.csv\nattempts:\n  rules:\n    - {outcome: BUSY, maxRetries: -1}\n");
        assertThatThrownBy(() -> CampaignFile.load(file))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e -> {
                    io.outdial.dialer.input.InputProblem p = e.problems().get(0);
                    assertThat(p.source()).isEqualTo("campaign file " + file);
                    assertThat(p.path()).isEqualTo("$.attempts.rules[0].maxRetries");
                    assertThat(p.value()).isEqualTo("-1");
                    assertThat(p.expected()).isEqualTo("at least 0");
                    assertThat(p.reason()).isEqualTo(io.outdial.dialer.input.Reason.OUT_OF_RANGE);
                })
                .hasMessageContaining("field maxRetries is -1, must be at least 0");
        Files.writeString(file, "id: a\ncontacts: c.csv\nlimits: {lines: 3, lines: 4}\n");
        assertThatThrownBy(() -> CampaignFile.load(file))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e -> {
                    assertThat(e.problems().get(0).path()).isEqualTo("$.limits.lines");
                    assertThat(e.problems().get(0).reason()).isEqualTo(io.outdial.dialer.input.Reason.DUPLICATE_KEY);
                });
    }

    @Test
    void anUnknownKeyInsideASectionIsRefusedWithItsPath() {
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ntrunk: {maxLine: 3}\n"), null, "body"))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e -> {
                    assertThat(e.problems().get(0).path()).isEqualTo("$.trunk.maxLine");
                    assertThat(e.problems().get(0).reason()).isEqualTo(io.outdial.dialer.input.Reason.UNKNOWN_KEY);
                })
                .hasMessageContaining("unknown field(s) [maxLine] in trunk");
        assertThatThrownBy(() -> CampaignFile.parse(yaml(
                "id: a\nattempts: {rules: [{outcome: BUSY, retry: 1m}]}\n"), null, "body"))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e -> assertThat(
                        e.problems().get(0).path()).isEqualTo("$.attempts.rules[0].retry"));
    }

    @Test
    void numbersGivenAsDigitsAndLenientFlagsAreReadAsBefore() throws Exception {
        CampaignFile f = CampaignFile.parse(yaml(String.join("\n",
                "id: 42",
                "priority: \"-3\"",
                "alwaysActive: \"true\"",
                "timeScale: \"2.5\"",
                "limits: {lines: \"7\"}",
                "trunk: {maxCps: \"4\", amd: 1, callerIds: \"+33100000001\"}",
                "calendar: {everyDay: '08:00-20:00'}",
                "attempts: {rules: [{outcome: BUSY, retryAfter: 90, maxRetries: \"3\"}]}",
                "")), null, "body");
        assertThat(f.settings().campaignId()).isEqualTo("42");
        assertThat(f.priority()).isEqualTo(-3);
        assertThat(f.alwaysActive()).isTrue();
        assertThat(f.timeScale()).isEqualTo(2.5);
        assertThat(f.settings().lines().campaigns()).containsEntry("42", 7);
        assertThat(f.trunk().maxCps()).isEqualTo(4.0);
        assertThat(f.trunk().amd()).isTrue();
        assertThat(f.trunk().callerIds()).containsExactly("+33100000001");
        assertThat(CampaignFile.parse(yaml("id: a\nalwaysActive: yes please\n"), null, "body").alwaysActive())
                .isFalse();
    }

    @Test
    void aSectionOfTheWrongTypeOrAWrongScalarIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nlimits: [1, 2]\n"), null, "body"))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e -> {
                    assertThat(e.problems().get(0).path()).isEqualTo("$.limits");
                    assertThat(e.problems().get(0).reason()).isEqualTo(io.outdial.dialer.input.Reason.WRONG_TYPE);
                });
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nname: {first: x}\n"), null, "body"))
                .hasMessageContaining("field name must be a text");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ntrunk: {originateTimeout: soon}\n"), null,
                "body")).isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e ->
                        assertThat(e.problems().get(0).path()).isEqualTo("$.trunk.originateTimeout"))
                .hasMessageContaining("originateTimeout \"soon\" is not a duration");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\ntrunk: {maxCps: 0}\n"), null, "body"))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e ->
                        assertThat(e.problems().get(0).path()).isEqualTo("$.trunk"))
                .hasMessageStartingWith("body: trunk: ");
        assertThatThrownBy(() -> CampaignFile.parse(yaml("id: a\nattempts: {rules: [null]}\n"), null, "body"))
                .isInstanceOfSatisfying(io.outdial.dialer.input.InvalidInput.class, e ->
                        assertThat(e.problems().get(0).path()).isEqualTo("$.attempts.rules[0].outcome"));
        assertThat(CampaignFile.FIELDS).contains("id", "limits", "amd", "scheme", "schemeVersion", "smsc").hasSize(26);
    }
}

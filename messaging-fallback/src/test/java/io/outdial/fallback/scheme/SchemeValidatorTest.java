package io.outdial.fallback.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SchemeValidatorTest {

    private static SchemeReport yaml(String text) {
        return SchemeDocuments.parse(text, SchemeDocuments.Format.YAML);
    }

    private static List<String> rendered(SchemeReport r) {
        return r.errors().stream().map(SchemeError::render).collect(Collectors.toList());
    }

    @Test
    void validSchemeBindsIntoRecords() {
        SchemeReport r = yaml(String.join("\n",
                "id: s", "version: 2", "start: sms",
                "blocks:",
                "  sms:",
                "    type: sms",
                "    content: { text: 'Hi {{contact.name}}' }",
                "    decisionTime: PT1H",
                "    links:",
                "      - { on: reply, matches: '^\\s*stop', next: end }",
                "      - { on: status, status: delivered, next: wait }",
                "      - { on: timeout, next: ab }",
                "  wait: { type: delay, duration: PT10M, next: ab }",
                "  ab:",
                "    type: split",
                "    branches:",
                "      - { name: a, percent: 30, next: goal }",
                "      - { name: b, percent: 70, next: end }",
                "  goal: { type: goal, name: won }",
                "  end: { type: end }"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.isValid()).isTrue();
        Block.ChannelBlock sms = (Block.ChannelBlock) r.scheme().block("sms");
        assertThat(sms.type()).isEqualTo(ChannelType.SMS);
        assertThat(sms.decisionTime()).hasMinutes(60);
        assertThat(sms.links().get(0).on()).isEqualTo(Link.On.REPLY);
        assertThat(sms.links().get(1).status()).isEqualTo(Status.DELIVERED);
        assertThat(((Block.Split) r.scheme().block("ab")).branches()).hasSize(2);
        // the written JSON reads back to the same scheme
        SchemeReport again = SchemeDocuments.parse(SchemeDocuments.toJson(r.scheme()), SchemeDocuments.Format.JSON);
        assertThat(again.errors()).isEmpty();
        assertThat(again.scheme()).isEqualTo(r.scheme());
    }

    @Test
    void reportsEveryGraphErrorAtOnceWithBlockAndPath() {
        SchemeReport r = yaml(String.join("\n",
                "id: s", "version: 1", "start: sms",
                "blocks:",
                "  sms:",
                "    type: sms",
                "    content: { text: '' }",
                "    decisionTime: PT1H",
                "    links:",
                "      - { on: status, status: busy, next: end }",
                "      - { on: status, status: delivered, next: nowhere }",
                "      - { on: key, key: '2', next: end }",
                "  call:",
                "    type: voice",
                "    content: { flow: main }",
                "    decisionTime: PT1H",
                "    links: []",
                "  end: { type: end }"));
        assertThat(r.isValid()).isFalse();
        assertThat(rendered(r)).containsExactlyInAnyOrder(
                "$.blocks.sms.content.text [block sms]: missing content: a sms block needs a non-blank \"text\"",
                "$.blocks.sms.links[0].status [block sms]: a sms channel cannot report status busy; it reports "
                        + "[delivered, expired, rejected, sent, undelivered]",
                "$.blocks.sms.links[1].next [block sms]: dangling link: block \"nowhere\" does not exist",
                "$.blocks.sms.links[2].on [block sms]: a sms channel has no IVR events (key); only voice has",
                "$.blocks.call.links [block call]: missing link: a channel block needs at least one link "
                        + "(e.g. on timeout to an end block), or every run would stop here",
                "$.blocks.call [block call]: unreachable block: no path from start \"sms\" leads here");
    }

    @Test
    void schemaErrorsNameThePathOfEachBadValue() {
        SchemeReport r = yaml(String.join("\n",
                "id: s", "version: 1", "start: d", "colour: red",
                "blocks:",
                "  d: { type: delay, duration: soon }",
                "  x: { type: fax }",
                "  sms:",
                "    type: sms",
                "    content: { text: hi }",
                "    links: [ { on: reply, next: d } ]"));
        List<String> paths = r.errors().stream().map(SchemeError::path).collect(Collectors.toList());
        assertThat(paths).contains("$", "$.blocks.d.duration", "$.blocks.d", "$.blocks.x.type", "$.blocks.sms",
                "$.blocks.sms.links[0]");
        assertThat(r.errors()).anyMatch(e -> "d".equals(e.blockId()) && e.message().contains("next"));
        assertThat(r.errors()).anyMatch(e -> e.path().equals("$") && e.message().contains("colour"));
    }

    @Test
    void smsTooLongCountsGsmAndUcs2Segments() {
        String gsm = "a".repeat(153 * 2 + 1);
        SchemeReport r = yaml(smsScheme(gsm, 2));
        assertThat(rendered(r)).singleElement().asString()
                .contains("SMS too long: 307 GSM-7 septets before placeholders take 3 parts of 153; at most 2");
        assertThat(yaml(smsScheme("a".repeat(306), 2)).errors()).isEmpty();
        assertThat(yaml(smsScheme("я".repeat(134), 2)).errors()).isEmpty();
        assertThat(rendered(yaml(smsScheme("я".repeat(135), 2)))).singleElement().asString()
                .contains("135 UCS-2 units before placeholders take 3 parts of 67");
        // extension characters count twice: 80 euro signs fill one message, 81 need two
        assertThat(yaml(smsScheme("€".repeat(80), 1)).errors()).isEmpty();
        assertThat(yaml(smsScheme("€".repeat(81), 1)).errors()).hasSize(1);
    }

    @Test
    void badPlaceholderAndRegexAndSplitPercentagesAreReported() {
        SchemeReport r = yaml(String.join("\n",
                "id: s", "version: 1", "start: ab",
                "blocks:",
                "  ab:",
                "    type: split",
                "    branches:",
                "      - { name: a, percent: 30, next: sms }",
                "      - { name: a, percent: 30, next: sms }",
                "  sms:",
                "    type: sms",
                "    content: { text: 'Hi {{name}}' }",
                "    decisionTime: PT1H",
                "    links: [ { on: reply, matches: '(', next: sms } ]"));
        assertThat(rendered(r)).hasSize(4).anyMatch(s -> s.contains("branch percentages add up to 60"))
                .anyMatch(s -> s.contains("branch name \"a\" is used twice"))
                .anyMatch(s -> s.contains("malformed placeholder near \"{{name}}\""))
                .anyMatch(s -> s.startsWith("$.blocks.sms.links[0].matches"));
    }

    @Test
    void syntaxErrorsGiveLineAndColumn() {
        SchemeReport r = SchemeDocuments.parse("{\"id\": }", SchemeDocuments.Format.JSON);
        assertThat(r.scheme()).isNull();
        assertThat(rendered(r)).singleElement().asString().startsWith("$: line 1, column 8: JSON syntax error");
    }

    static String smsScheme(String text, int maxSegments) {
        return String.join("\n", "id: s", "version: 1", "start: sms", "blocks:", "  sms:", "    type: sms",
                "    content: { text: '" + text + "' }", "    maxSegments: " + maxSegments, "    decisionTime: PT1H",
                "    links: [ { on: timeout, next: end } ]", "  end: { type: end }");
    }
}

package io.outdial.fallback.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Per-channel content checks of the validator: WhatsApp templates, Viber limits, webhook URLs, no_consent. */
class ChannelContentRulesTest {

    private static List<String> errors(String type, String content, String extraLinks) {
        SchemeReport r = SchemeDocuments.parse(String.join("\n",
                "id: s", "version: 1", "start: b", "blocks:",
                "  b:", "    type: " + type, "    content: " + content, "    decisionTime: PT1H",
                "    links: [ { on: timeout, next: end }" + extraLinks + " ]",
                "  end: { type: end }"), SchemeDocuments.Format.YAML);
        return r.errors().stream().map(SchemeError::render).collect(Collectors.toList());
    }

    @Test
    void aWhatsAppBlockNeedsATemplateBecauseACascadeWritesOutsideTheWindow() {
        assertThat(errors("whatsapp", "{ text: 'Hello' }", "")).containsExactly(
                "$.blocks.b.content.template [block b]: missing content: a whatsapp block needs a non-blank"
                        + " \"template\"");
        assertThat(errors("whatsapp", "{ template: reminder, language: en_US, param1: '{{contact.name}}',"
                + " text: 'in the window' }", ", { on: status, status: no_consent, next: end }")).isEmpty();
    }

    @Test
    void whatsAppTemplateNamesLanguagesAndParametersAreChecked() {
        List<String> e = errors("whatsapp", "{ template: 'Reminder-1', language: english, param1: 'a\tb',"
                + " param3: 'x     y', greeting: hi }", "");
        assertThat(e).anyMatch(s -> s.contains("content.template") && s.contains("not a WhatsApp template name"));
        assertThat(e).anyMatch(s -> s.contains("content.language") && s.contains("not a template language code"));
        assertThat(e).anyMatch(s -> s.contains("content.param1") && s.contains("new lines, tabs"));
        assertThat(e).anyMatch(s -> s.contains("content.param2") && s.contains("numbered from 1 without gaps"));
        assertThat(e).anyMatch(s -> s.contains("content.param3") && s.contains("more than four spaces"));
        assertThat(e).anyMatch(s -> s.contains("content.greeting") && s.contains("has no content"));
        assertThat(e).hasSize(6);
    }

    @Test
    void viberTextAndButtonLimits() {
        String longText = "x".repeat(1001);
        List<String> e = errors("viber", "{ text: '" + longText + "', buttonText: 'A caption far longer than thirty"
                + " characters', buttonUrl: 'ftp://example.com' }", "");
        assertThat(e).anyMatch(s -> s.contains("content.text") && s.contains("1001 characters"));
        assertThat(e).anyMatch(s -> s.contains("content.buttonText") && s.contains("at most 30"));
        assertThat(e).anyMatch(s -> s.contains("content.buttonUrl") && s.contains("not an http(s) URL"));
        assertThat(errors("viber", "{ text: 'Hi', buttonText: 'Open' }", "")).containsExactly(
                "$.blocks.b.content.buttonUrl [block b]: a Viber button needs both buttonText and buttonUrl");
        // placeholders do not count: the fixed text is what the check sees
        assertThat(errors("viber", "{ text: '{{contact.note}} " + "y".repeat(990) + "' }", "")).isEmpty();
    }

    @Test
    void webhookUrlsAndNoConsentOnlyWhereOptInIsRequired() {
        assertThat(errors("webhook", "{ url: 'example.com/x' }", "")).containsExactly(
                "$.blocks.b.content.url [block b]: \"example.com/x\" is not an http(s) URL");
        assertThat(errors("webhook", "{ url: 'https://crm.example.com/{{contact.id}}' }",
                ", { on: reply, contains: done, next: end }")).isEmpty();
        assertThat(errors("viber", "{ text: 'Hi' }", ", { on: status, status: no_consent, next: end }"))
                .anyMatch(s -> s.contains("cannot report status no_consent"));
        assertThat(errors("sms", "{ text: 'Hi' }", ", { on: status, status: no_consent, next: end }"))
                .anyMatch(s -> s.contains("cannot report status no_consent"));
    }
}

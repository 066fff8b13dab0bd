package io.outdial.fallback.scheme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemeTemplatesTest {

    @Test
    void everyBuiltInTemplateIsValid() {
        SchemeTemplates.all().forEach((name, report) -> {
            assertThat(report.errors()).as(name).isEmpty();
            assertThat(report.scheme().id()).isEqualTo(name);
        });
    }

    @Test
    void voiceSmsSendsTheSmsOnNoAnswerAndBusy() {
        Scheme s = SchemeTemplates.all().get("voice-sms").scheme();
        Block.ChannelBlock call = (Block.ChannelBlock) s.block(s.start());
        assertThat(call.type()).isEqualTo(ChannelType.VOICE);
        assertThat(call.links()).anyMatch(l -> l.status() == Status.NO_ANSWER && l.next().equals("sms"))
                .anyMatch(l -> l.status() == Status.BUSY && l.next().equals("sms"));
    }

    @Test
    void publishedSchemaIsTheOneTheValidatorUses() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "scheme.schema.json"));
        String bundled = new String(SchemeDocuments.class.getResourceAsStream("scheme.schema.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(bundled).isEqualTo(docs);
    }
}

package io.outdial.dialer.cascade;

import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/scheme-chat.yaml is a valid scheme a node can run: it starts with the voice block. */
class ChatExampleSchemeTest {
    @Test
    void theChatExampleIsValidAndStartsWithTheCall() throws Exception {
        SchemeReport report = SchemeDocuments.parse(Files.readString(Path.of("..", "examples", "scheme-chat.yaml")),
            SchemeDocuments.Format.YAML);
        assertThat(report.isValid()).as(report.render()).isTrue();
        assertThat(report.scheme().start()).isEqualTo("call");
        assertThat(report.scheme().id()).isEqualTo("chat-fallback");
    }
}

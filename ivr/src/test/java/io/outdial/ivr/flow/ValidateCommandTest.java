package io.outdial.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.support.Flows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void validFlowPrintsASummaryAndExitsZero() {
        int code = ValidateCommand.run(Path.of("examples", "appointment-reminder.yaml"), Flows.VOICES, out);
        assertThat(code).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("flow appointment-reminder version 1 is valid");
    }

    @Test
    void invalidFlowPrintsEveryErrorAndExitsOne() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"id\":\"f\",\"version\":1,\"start\":\"a\",\"nodes\":{"
                + "\"a\":{\"type\":\"say\",\"text\":\"Hi {{vars.x}}\",\"next\":\"zz\"},\"b\":{\"type\":\"hangup\"}}}");
        int code = ValidateCommand.run(file, Flows.VOICES, out);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(printed)
                .contains("bad.json: ERROR $.nodes.a.text [node a]: template {{vars.x}} names unknown variable")
                .contains("bad.json: ERROR $.nodes.a.next [node a]: \"next\" leads to \"zz\"")
                .contains("bad.json: ERROR $.nodes.b [node b]: node \"b\" is unreachable")
                .contains("invalid: 4 errors");
    }

    @Test
    void missingFileIsAnErrorNotAnException() {
        assertThat(ValidateCommand.run(dir.resolve("nope.yaml"), Flows.VOICES, out)).isEqualTo(1);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("cannot read flow file nope.yaml");
    }
}

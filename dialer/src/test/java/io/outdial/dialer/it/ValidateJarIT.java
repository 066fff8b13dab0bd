package io.outdial.dialer.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar dialer.jar validate FILE} as a real process: output and exit code. */
@Timeout(120)
class ValidateJarIT {
    private static final Path JAR = Path.of("target", "dialer.jar");
    @TempDir
    Path dir;

    private record Run(int code, String out) { }

    private Run validate(Path file) throws IOException, InterruptedException {
        assertThat(JAR).as("dialer.jar is built by the package phase before integration tests").exists();
        Path log = dir.resolve("out-" + file.getFileName() + ".txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
            "-jar", JAR.toAbsolutePath().toString(), "validate", file.toAbsolutePath().toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void theBuiltJarValidatesTheSurveyAndRejectsABrokenFlowWithExitOne() throws Exception {
        Run ok = validate(Path.of("../ivr/examples/survey-3-questions.json"));
        assertThat(ok.code()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("survey-3-questions.json: flow satisfaction-survey version 1 is valid");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "id: f\nversion: 1\nstart: a\nnodes:\n"
            + "  a: {type: say, text: hi, next: gone}\n  b: {type: hangup}\n");
        Run no = validate(bad);
        assertThat(no.code()).as(no.out()).isEqualTo(1);
        assertThat(no.out()).contains("bad.yaml: ERROR $.nodes.a.next [node a]: \"next\" leads to \"gone\"")
            .contains("node \"b\" is unreachable").contains("bad.yaml: invalid: ");
    }
}

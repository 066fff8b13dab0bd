package io.outdial.dialer.cli;

import io.outdial.fallback.scheme.SchemeTemplates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code validate FILE} through {@link Main#run} in-process. */
public class ValidateFileCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @TempDir
    Path dir;

    private int run(String... args) {
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        return new Main(ctx).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public static Path example(String name) {
        Path p = Path.of("../ivr/examples", name);
        return Files.exists(p) ? p : Path.of("ivr/examples", name);
    }

    @Test
    void theExampleFlowsAreValidAndExitZero() {
        assertThat(run("validate", example("survey-3-questions.json").toString())).isZero();
        assertThat(run("validate", example("appointment-reminder.yaml").toString())).isZero();
        assertThat(out()).contains("survey-3-questions.json: flow satisfaction-survey version 1 is valid")
            .contains("appointment-reminder.yaml: flow ");
    }

    @Test
    void anInvalidFlowPrintsEveryErrorAndExitsOne() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"id\":\"f\",\"version\":1,\"start\":\"a\","
            + "\"nodes\":{\"a\":{\"type\":\"say\",\"text\":\"hi\",\"next\":\"nowhere\"},"
            + "\"b\":{\"type\":\"dance\"}}}");
        assertThat(run("validate", bad.toString())).isEqualTo(Command.FAILED);
        assertThat(out()).contains("bad.json: ERROR $.nodes.a.next [node a]: \"next\" leads to \"nowhere\"")
            .contains("unknown node type \"dance\"").contains("bad.json: invalid: ");
    }

    @Test
    void aYamlSyntaxErrorIsReportedWithItsLine() throws IOException {
        Path bad = Files.writeString(dir.resolve("broken.yaml"), "id: f\nnodes: [a\n");
        assertThat(run("validate", bad.toString())).isEqualTo(Command.FAILED);
        assertThat(out()).contains("broken.yaml: ERROR $: line ");
    }

    @Test
    void anUnknownDocumentKindIsNamedWithTheKnownKinds() throws IOException {
        Path doc = Files.writeString(dir.resolve("report.yaml"), "kind: report\nsteps: []\n");
        assertThat(run("validate", doc.toString())).isEqualTo(Command.FAILED);
        assertThat(out()).contains("unknown document kind \"report\"; expected one of [flow, scheme]");
    }

    @Test
    void aLaterKindPlugsInWithoutTouchingTheFlowPath() throws IOException {
        Path campaign = Files.writeString(dir.resolve("campaign.json"), "{\"kind\":\"campaign\"}");
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        Main main = new Main(ctx).register(new ValidateFileCommand().withKind("campaign", (f, c) -> {
            c.out().println("campaign checked: " + f.getFileName());
            return Command.OK;
        }));
        assertThat(main.run("validate", campaign.toString())).isZero();
        assertThat(out()).contains("campaign checked: campaign.json");
    }

    @Test
    void everyBuiltInSchemeTemplateIsRecognisedAsASchemeAndIsValid() throws IOException {
        for (String name : SchemeTemplates.NAMES) {
            Path file = Files.writeString(dir.resolve(name + ".yaml"), SchemeTemplates.text(name));
            assertThat(run("validate", file.toString())).as(name).isZero();
            assertThat(out()).contains(name + ".yaml: scheme " + name + " version 1 is valid (");
        }
        assertThat(out()).doesNotContain("ERROR").doesNotContain("flow ");
    }

    @Test
    void anInvalidJsonSchemePrintsEveryErrorWithBlockIdAndPathAndExitsOne() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad-scheme.json"), """
            {"id": "s", "version": 1, "start": "sms",
             "blocks": {
               "sms": {"type": "sms", "content": {"text": "Hi {{contact.name}}"}, "decisionTime": "PT1H",
                       "links": [{"on": "status", "status": "answered", "next": "done"},
                                 {"on": "timeout", "next": "nowhere"}]},
               "lost": {"type": "end"},
               "done": {"type": "end"}
             }}
            """);
        assertThat(run("validate", bad.toString())).isEqualTo(Command.FAILED);
        assertThat(out())
            .contains("bad-scheme.json: ERROR $.blocks.sms.links[0].status [block sms]: a sms channel cannot report "
                + "status answered")
            .contains("bad-scheme.json: ERROR $.blocks.sms.links[1].next [block sms]: dangling link: block \"nowhere\"")
            .contains("bad-scheme.json: ERROR $.blocks.lost [block lost]: unreachable block")
            .contains("bad-scheme.json: invalid: 3 errors");
    }

    @Test
    void aYamlSchemeIsRecognisedByItsSchemaUriEvenWithoutBlocks() throws IOException {
        Path bad = Files.writeString(dir.resolve("empty-scheme.yaml"),
            "$schema: https://outdial.io/schemas/scheme.schema.json\nid: s\nversion: 1\nstart: a\n");
        assertThat(run("validate", bad.toString())).isEqualTo(Command.FAILED);
        assertThat(out()).contains("empty-scheme.yaml: ERROR $").contains("blocks")
            .contains("empty-scheme.yaml: invalid: ").doesNotContain("[node");
    }

    @Test
    void aMissingFileOrNoFileIsAUsageError() {
        assertThat(run("validate")).isEqualTo(Command.USAGE);
        assertThat(run("validate", dir.resolve("nope.json").toString())).isEqualTo(Command.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.json does not exist");
    }
}

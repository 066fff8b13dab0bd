package io.outdial.fallback.scheme;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The body of {@code dialer validate FILE} for cascade scheme files: prints every problem, one per line with its
 * path and block id, then a summary, and returns the process exit code (0 valid, 1 invalid). Blocking (reads the
 * file). The format is YAML for {@code .yaml}/{@code .yml} file names, JSON otherwise.
 */
public final class ValidateSchemeCommand {

    private ValidateSchemeCommand() {
    }

    /**
     * Validates the scheme in {@code file} and prints to {@code out}.
     *
     * @return 0 when the scheme is valid, 1 otherwise (also when the file cannot be read)
     */
    public static int run(Path file, PrintStream out) {
        String name = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println(name + ": ERROR $: cannot read the file: " + e.getMessage());
            out.println(name + ": invalid: 1 errors");
            return 1;
        }
        SchemeReport report = SchemeDocuments.parse(text, SchemeDocuments.Format.ofFileName(name));
        report.errors().forEach(e -> out.println(name + ": ERROR " + e.render()));
        if (report.isValid()) {
            Scheme s = report.scheme();
            out.println(name + ": scheme " + s.id() + " version " + s.version() + " is valid ("
                    + s.blocks().size() + " blocks)");
            return 0;
        }
        out.println(name + ": invalid: " + report.errors().size() + " errors");
        return 1;
    }
}

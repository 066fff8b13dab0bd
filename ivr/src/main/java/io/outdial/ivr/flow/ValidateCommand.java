package io.outdial.ivr.flow;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The body of {@code dialer validate FILE} for flow files: prints every problem, one per line, then a summary,
 * and returns the process exit code (0 valid, 1 invalid). Blocking (reads the file).
 */
public final class ValidateCommand {

    private ValidateCommand() {
    }

    /**
     * Validates {@code file} against {@code voices} and prints to {@code out}.
     *
     * @return 0 when the flow is valid (warnings allowed), 1 otherwise
     */
    public static int run(Path file, VoiceCatalog voices, PrintStream out) {
        ValidationReport report = FlowValidator.validate(FlowDocuments.parse(file), voices);
        report.errors().forEach(e -> out.println(file.getFileName() + ": " + e.render()));
        long errors = report.errorsOnly().size();
        long warnings = report.errors().size() - errors;
        if (report.isValid()) {
            Flow f = report.flow();
            out.println(file.getFileName() + ": flow " + f.id() + " version " + f.version() + " is valid ("
                    + f.nodes().size() + " nodes, " + warnings + " warnings)");
            return 0;
        }
        out.println(file.getFileName() + ": invalid: " + errors + " errors, " + warnings + " warnings");
        return 1;
    }
}

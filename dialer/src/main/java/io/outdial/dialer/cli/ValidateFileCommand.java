package io.outdial.dialer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.ValidateSchemeCommand;
import io.outdial.ivr.flow.ValidateCommand;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.tts.TtsRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code validate FILE}: checks an IVR flow or a cascade scheme file (JSON or YAML) and prints every problem; exit
 * code 0 when valid, 1 when invalid, 2 for a bad command line. The document's content picks the validator: a
 * top-level {@code kind} field when present; otherwise {@code scheme} for a document whose {@code $schema} is the
 * scheme schema or that has {@code blocks} and no {@code nodes}; otherwise {@code flow}. Further kinds (e.g.
 * campaign files) plug in via {@link #withKind}.
 */
final class ValidateFileCommand implements Command {
    /** Validates one file of one kind, printing to the stream; returns the exit code. */
    @FunctionalInterface
    public interface KindValidator {
        int validate(Path file, CommandContext ctx);
    }

    private final Map<String, KindValidator> kinds = new LinkedHashMap<>();

    /** The command with the flow kind checked against the voices of this process. */
    public ValidateFileCommand() {
        this(TtsRegistry::defaults);
    }

    /** The command with the flow kind checked against {@code voices} (built on first use: it may probe programs). */
    public ValidateFileCommand(Supplier<? extends VoiceCatalog> voices) {
        kinds.put("flow", (file, ctx) -> ValidateCommand.run(file, voices.get(), ctx.out()));
        kinds.put("scheme", (file, ctx) -> ValidateSchemeCommand.run(file, ctx.out()));
    }

    /** Adds or replaces the validator of a document kind (e.g. {@code scheme}, {@code campaign}). */
    public ValidateFileCommand withKind(String kind, KindValidator validator) {
        kinds.put(kind, validator);
        return this;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String usage() {
        return "FILE";
    }

    @Override
    public String summary() {
        return "check a flow or scheme file (JSON/YAML); prints every problem, exit 1 when invalid";
    }

    @Override
    public int run(List<String> args, CommandContext ctx) {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            ctx.err().println("outdial validate: expected exactly one FILE, got " + args);
            return USAGE;
        }
        Path file = Path.of(args.get(0));
        if (!Files.isRegularFile(file)) {
            ctx.err().println("outdial validate: " + file + " does not exist or is not a file");
            return USAGE;
        }
        String kind = kindOf(file);
        KindValidator validator = kinds.get(kind);
        if (validator == null) {
            ctx.out().println(file.getFileName() + ": ERROR $.kind: unknown document kind \"" + kind
                + "\"; expected one of " + kinds.keySet());
            return FAILED;
        }
        return validator.validate(file, ctx);
    }

    /**
     * The document's kind: its {@code kind} field; else {@code scheme} when its {@code $schema} is the scheme schema
     * or it has {@code blocks} and no {@code nodes}; else {@code flow} (also for unreadable or broken documents, so
     * the flow validator reports the syntax error with line and column).
     */
    static String kindOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        try {
            JsonNode tree = mapper.readTree(file.toFile());
            if (tree != null && tree.isObject() && tree.path("kind").isTextual() && !tree.has("nodes")) {
                return tree.get("kind").asText();
            }
            if (tree != null && tree.isObject() && !tree.has("nodes")
                && (tree.has("blocks") || SchemeDocuments.SCHEMA_ID.equals(tree.path("$schema").asText()))) {
                return "scheme";
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "flow";
        }
        return "flow";
    }
}

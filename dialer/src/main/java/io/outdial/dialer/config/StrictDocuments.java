package io.outdial.dialer.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.time.Duration;
import java.util.List;

/**
 * Reads the documents people write (config files, campaign definitions) as JSON or YAML trees, refusing a key
 * given twice in one mapping (Jackson would keep the last one silently), and turns any syntax error into one
 * line with its line, column and, for a duplicate key, the key's path ({@code $.limits.lines}). Durations in them
 * read the same everywhere: {@link #duration}.
 */
public final class StrictDocuments {
    private static final ObjectMapper JSON = strict(JsonMapper.builder().build());
    private static final ObjectMapper YAML = strict(YAMLMapper.builder().build());

    private StrictDocuments() {
    }

    /** {@code mapper} with duplicate keys refused; returns it. */
    public static ObjectMapper strict(ObjectMapper mapper) {
        return mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * One duration as the documents write it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d},
     * ISO-8601 ({@code PT30S}) or a bare number of seconds (the form {@link ConfigLoader} reads in config files).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration duration(String text) {
        return DurationDeserializer.parse(text);
    }

    /**
     * Parses {@code text} (YAML when {@code yaml}, else JSON).
     *
     * @throws InvalidInput with {@link #describe} of the syntax error, prefixed by {@code source}
     */
    public static JsonNode read(String text, boolean yaml, String source) {
        try {
            return (yaml ? YAML : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(problem(source, e)), e);
        }
    }

    /** The problem a syntax error of {@code source} is: a duplicate key at its path, else a syntax error. */
    public static InputProblem problem(String source, JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        String path = "$";
        Reason reason = Reason.SYNTAX;
        if (message.startsWith("Duplicate field '") && e.getProcessor() instanceof JsonParser) {
            String key = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
            path = path(((JsonParser) e.getProcessor()).getParsingContext(), key);
            reason = Reason.DUPLICATE_KEY;
        }
        return new InputProblem(source, path, null, reason == Reason.SYNTAX ? "valid JSON or YAML"
            : "each key once in a mapping", reason, source + ": " + describe(e));
    }

    /**
     * One line for a syntax error: {@code line L, column C: what}. A duplicate key reads {@code duplicate key
     * "lines" at $.limits.lines}; a YAML parser's multi-line explanation is cut to its first line.
     */
    public static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null || loc.getLineNr() < 0 ? "" : "line " + loc.getLineNr() + ", column "
            + loc.getColumnNr() + ": ";
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate field '") && e.getProcessor() instanceof JsonParser) {
            String key = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
            return where + "duplicate key \"" + key + "\" at " + path(((JsonParser) e.getProcessor())
                .getParsingContext(), key) + " (each key may appear once in a mapping)";
        }
        return where + oneLine(message);
    }

    /**
     * A YAML parser explains an error over several lines: what it was parsing, then the problem, each followed by
     * an indented location and a snippet with a caret. Kept: the unindented lines, joined ("while parsing a flow
     * mapping; expected ',' or '}', but got <scalar>").
     */
    static String oneLine(String message) {
        String joined = message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0))
            && !l.startsWith("^")).map(String::strip).collect(java.util.stream.Collectors.joining("; "));
        return joined.isEmpty() ? "syntax error" : joined;
    }

    /** {@code $.a.b[2].key}: the path of {@code key} in the mapping {@code ctx} is reading. */
    private static String path(JsonStreamContext ctx, String key) {
        StringBuilder out = new StringBuilder();
        for (JsonStreamContext c = ctx.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            String part = c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName();
            out.insert(0, part);
        }
        return "$" + out + "." + key;
    }
}

package io.outdial.ivr.flow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads flow documents (JSON or YAML) and checks them against the published JSON Schema ({@link FlowSchema}).
 * Never throws on bad input: syntax errors, duplicate keys, schema violations and I/O failures become
 * {@link ValidationError}s, with line and column where known. Blocking when reading a file.
 */
public final class FlowDocuments {

    /** Document syntax. */
    public enum Format {
        JSON, YAML;

        /** YAML for {@code .yaml}/{@code .yml} file names, JSON otherwise. */
        public static Format ofFileName(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            return lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();

    private FlowDocuments() {
    }

    /** Reads a flow file; the format follows the file extension. */
    public static ParsedFlow parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new ParsedFlow(null, List.of(ValidationError.error(null, "$",
                    "cannot read flow file " + file.getFileName() + ": " + e)));
        }
        return parse(text, Format.ofFileName(file.getFileName().toString()));
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'[^']*'|\"[^\"]*\"");

    /**
     * A parser message without the document's text: quoted tokens become {@code '…'} (a single punctuation character,
     * such as an expected {@code ':'}, stays), character codes and snippets after a colon are dropped.
     */
    static String withoutContent(String message) {
        java.util.regex.Matcher m = QUOTED.matcher(message.replaceAll("\\s*\\(code -?[0-9]+\\)", ""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String q = m.group();
            boolean punctuation = q.length() == 3 && !Character.isLetterOrDigit(q.charAt(1));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(punctuation ? q : "'…'"));
        }
        m.appendTail(out);
        String text = out.toString();
        // "in 'reader', line 1" and " at [Source: ...]" locate only; the line and column are reported already
        int source = text.indexOf(" at [Source");
        return source >= 0 ? text.substring(0, source).strip() : text;
    }

    /** Reads a flow document from text. */
    public static ParsedFlow parse(String text, Format format) {
        List<ValidationError> errors = new ArrayList<>();
        if (text == null || text.isBlank()) {
            errors.add(ValidationError.error(null, "$", "the flow document is empty; expected a " + format
                    + " object with id, version, start and nodes"));
            return new ParsedFlow(null, errors);
        }
        ObjectMapper mapper = format == Format.YAML ? YAML : JSON;
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            // a YAML parser's message spans several lines (location, snippet, caret): keep its unindented lines
            // and never the document's own text (a token, a snippet): a flow read from a path must not show the file
            String what = String.join("; ", String.valueOf(e.getOriginalMessage()).lines()
                    .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("^"))
                    .map(String::strip).map(FlowDocuments::withoutContent).toList());
            errors.add(ValidationError.error(null, "$", where + format + " syntax error: " + what));
            return new ParsedFlow(null, errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(ValidationError.error(null, "$", "the flow document must be an object, was "
                    + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT))));
            return new ParsedFlow(null, errors);
        }
        scanDuplicateKeys(mapper, text, errors);
        List<ValidationError> schema = FlowSchema.check(root, text, mapper);
        Flow flow = new FlowBinder(errors).bind(root);
        return new ParsedFlow(flow, errors, schema);
    }

    /** Jackson's tree keeps the last of duplicate keys silently; a streaming pass reports each duplicate. */
    private static void scanDuplicateKeys(ObjectMapper mapper, String text, List<ValidationError> errors) {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            Deque<Set<String>> seen = new ArrayDeque<>();
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.START_OBJECT) {
                    seen.push(new HashSet<>());
                } else if (token == JsonToken.END_OBJECT) {
                    seen.pop();
                } else if (token == JsonToken.FIELD_NAME && !seen.isEmpty() && !seen.peek().add(p.currentName())) {
                    String path = pathOf(p.getParsingContext());
                    JsonLocation loc = p.currentTokenLocation();
                    errors.add(ValidationError.error(FlowPaths.nodeIdOf(path), path, "line " + loc.getLineNr()
                            + ", column " + loc.getColumnNr() + ": key \"" + p.currentName()
                            + "\" appears more than once in the same object; keys must be unique"));
                }
            }
        } catch (IOException e) {
            // the tree read already reported the syntax error
        }
    }

    private static String pathOf(JsonStreamContext ctx) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return "$" + String.join("", parts);
    }
}

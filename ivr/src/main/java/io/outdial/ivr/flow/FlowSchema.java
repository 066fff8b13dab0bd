package io.outdial.ivr.flow;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The published JSON Schema of flow documents ({@code docs/flow.schema.json}, bundled as a resource of this
 * package and checked equal to the published file by a test), applied to a document before the reader's and the
 * validator's own checks. Each violation becomes a {@link ValidationError} at its {@code $.a.b} path, prefixed with
 * the line and column of the offending key or value when the document text is known.
 */
final class FlowSchema {

    /** The schema's {@code $id}. */
    static final String SCHEMA_ID = "https://outdial.io/schemas/flow.schema.json";

    private static final String NODE_BRANCH = "/properties/nodes/additionalProperties/$ref/oneOf";
    private static final Schema SCHEMA = load();
    /** The node type each branch of {@code $defs/node/oneOf} describes, by branch index. */
    private static final List<String> BRANCHES = branches();

    private FlowSchema() {
    }

    /**
     * The schema's violations of {@code root}. A node is one of the node types ({@code oneOf}); of the branches
     * networknt tries, only the one of the node's own {@code type} explains what is wrong with it.
     *
     * @param text   the document text {@code root} was read from, for line numbers; null when unknown
     * @param mapper the mapper {@code text} was read with
     */
    static List<ValidationError> check(JsonNode root, String text, ObjectMapper mapper) {
        Map<String, JsonLocation> where = text == null ? Map.of() : locations(mapper, text);
        Set<String> seen = new LinkedHashSet<>();
        List<ValidationError> out = new ArrayList<>();
        for (com.networknt.schema.Error e : SCHEMA.validate(root.toString(), InputFormat.JSON)) {
            if (!ofOwnType(e, root)) {
                continue;
            }
            String path = path(e.getInstanceLocation());
            if (e.getProperty() != null && KEYED.contains(e.getKeyword())) {
                path = path + "." + e.getProperty();
            }
            String message = e.getMessage();
            if (!seen.add(path + "\n" + message)) {
                continue;
            }
            String prefix = e.getInstanceLocation() + ": ";
            if (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
            JsonLocation loc = where.get(path);
            String at = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            out.add(ValidationError.error(FlowPaths.nodeIdOf(path), path, at + "schema: " + message));
        }
        return out;
    }

    /** Keywords whose error names a property: the error is placed at that property's path. */
    private static final Set<String> KEYED = Set.of("required", "additionalProperties", "propertyNames",
            "dependentRequired", "unevaluatedProperties");

    /**
     * False for the {@code oneOf} summary of a node and for what a branch of another node type says about it
     * ({@code must be the constant value 'say'} of a gather node); true for everything else.
     */
    private static boolean ofOwnType(com.networknt.schema.Error e, JsonNode root) {
        String eval = e.getEvaluationPath().toString();
        if (!eval.startsWith(NODE_BRANCH)) {
            return true;
        }
        NodePath at = e.getInstanceLocation();
        if (at.getNameCount() < 2) {
            return true;
        }
        String type = root.path("nodes").path(String.valueOf(at.getElement(1))).path("type").asText("");
        if (!BRANCHES.contains(type)) {
            return false; // no branch is this node's: the reader names the unknown type
        }
        String rest = eval.substring(NODE_BRANCH.length());
        if (rest.isEmpty()) {
            return false;
        }
        int end = rest.indexOf('/', 1);
        String index = end < 0 ? rest.substring(1) : rest.substring(1, end);
        try {
            return type.equals(BRANCHES.get(Integer.parseInt(index)));
        } catch (RuntimeException ex) {
            return true;
        }
    }

    /** {@code $.nodes.a.menu[0]} from networknt's instance location. */
    static String path(NodePath at) {
        StringBuilder path = new StringBuilder("$");
        for (int i = 0; i < at.getNameCount(); i++) {
            Object el = at.getElement(i);
            path.append(el instanceof Integer ? "[" + el + "]" : "." + el);
        }
        return path.toString();
    }

    /** Where each key and array element of the document starts, by path; the root is {@code $}. */
    private static Map<String, JsonLocation> locations(ObjectMapper mapper, String text) {
        Map<String, JsonLocation> out = new HashMap<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                JsonStreamContext ctx = p.getParsingContext();
                if (token == JsonToken.FIELD_NAME || ctx.inArray() && !token.isStructEnd()) {
                    out.putIfAbsent(pathOf(ctx), p.currentTokenLocation());
                } else if (ctx.inRoot() && !token.isStructEnd()) {
                    out.putIfAbsent("$", p.currentTokenLocation());
                }
            }
        } catch (IOException e) {
            // the tree read already reported the syntax error
        }
        return out;
    }

    private static String pathOf(JsonStreamContext ctx) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return "$" + String.join("", parts);
    }

    /**
     * Schema errors not already told by another check: dropped when another error has the same path, when it
     * sits under one of the schema error's path (a {@code oneOf} failing on a whole node whose field the reader
     * names), or when the schema error sits under a reading error's path (the reader named the bad value first).
     */
    static List<ValidationError> untold(List<ValidationError> schema, List<ValidationError> reading,
                                        List<ValidationError> checks) {
        List<ValidationError> out = new ArrayList<>();
        for (ValidationError s : schema) {
            boolean told = false;
            for (ValidationError r : reading) {
                told |= s.path().equals(r.path()) || under(r.path(), s.path()) || under(s.path(), r.path());
            }
            for (ValidationError c : checks) {
                told |= s.path().equals(c.path()) || under(c.path(), s.path());
            }
            if (!told) {
                out.add(s);
            }
        }
        return out;
    }

    /** Whether {@code path} lies under {@code ancestor}. */
    private static boolean under(String path, String ancestor) {
        return path.length() > ancestor.length() && path.startsWith(ancestor)
                && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
    }

    private static List<String> branches() {
        try (InputStream in = FlowSchema.class.getResourceAsStream("flow.schema.json")) {
            List<String> out = new ArrayList<>();
            for (JsonNode ref : new ObjectMapper().readTree(in).at("/$defs/node/oneOf")) {
                String r = ref.path("$ref").asText();
                out.add(r.substring(r.lastIndexOf('/') + 1));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema load() {
        try (InputStream in = FlowSchema.class.getResourceAsStream("flow.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("flow.schema.json missing from the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

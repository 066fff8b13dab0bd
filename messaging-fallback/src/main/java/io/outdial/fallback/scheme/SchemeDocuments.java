package io.outdial.fallback.scheme;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and validates scheme documents (JSON or YAML). Never throws on bad input: syntax errors, JSON Schema
 * violations (docs/scheme.schema.json) and graph problems all come back in one {@link SchemeReport}.
 */
public final class SchemeDocuments {

    /** The schema's {@code $id}, also written as {@code $schema} in documents. */
    public static final String SCHEMA_ID = "https://outdial.io/schemas/scheme.schema.json";

    /** Document syntax. */
    public enum Format {
        JSON, YAML;

        /** YAML for {@code .yaml}/{@code .yml} file names, JSON otherwise. */
        public static Format ofFileName(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            return lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
        }
    }

    private static final ObjectMapper JSON = configure(JsonMapper.builder().build());
    private static final ObjectMapper YAML = configure(new YAMLMapper());
    private static final Schema SCHEMA = loadSchema();

    private SchemeDocuments() {
    }

    /** The mapper that binds and writes schemes as JSON. */
    public static ObjectMapper json() {
        return JSON;
    }

    /** Reads and validates a scheme document. */
    public static SchemeReport parse(String text, Format format) {
        List<SchemeError> errors = new ArrayList<>();
        if (text == null || text.isBlank()) {
            errors.add(SchemeError.at("$", "the scheme document is empty; expected a " + format
                    + " object with id, version, start and blocks"));
            return new SchemeReport(null, errors);
        }
        JsonNode root;
        try {
            root = (format == Format.YAML ? YAML : JSON).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            errors.add(SchemeError.at("$", where + format + " syntax error: " + e.getOriginalMessage()));
            return new SchemeReport(null, errors);
        }
        if (root == null || !root.isObject()) {
            errors.add(SchemeError.at("$", "the scheme document must be an object"));
            return new SchemeReport(null, errors);
        }
        return check(root, errors);
    }

    /** Validates a scheme already bound (e.g. built in code). */
    public static SchemeReport validate(Scheme scheme) {
        return check(JSON.valueToTree(scheme), new ArrayList<>());
    }

    /** The scheme as a JSON document. */
    public static String toJson(Scheme scheme) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(scheme);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write scheme " + scheme.id(), e);
        }
    }

    private static SchemeReport check(JsonNode root, List<SchemeError> errors) {
        String json = root.toString();
        for (com.networknt.schema.Error e : SCHEMA.validate(json, InputFormat.JSON)) {
            errors.add(schemaError(e));
        }
        Scheme scheme;
        try {
            scheme = JSON.treeToValue(root, Scheme.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The schema already named the wrong value; binding fails on its first one.
            if (errors.isEmpty()) {
                errors.add(SchemeError.at("$", "cannot read the scheme: " + e.getMessage()));
            }
            return new SchemeReport(null, errors);
        }
        errors.addAll(SchemeValidator.validate(scheme));
        return new SchemeReport(scheme, errors);
    }

    private static SchemeError schemaError(com.networknt.schema.Error e) {
        StringBuilder path = new StringBuilder("$");
        NodePath at = e.getInstanceLocation();
        for (int i = 0; i < at.getNameCount(); i++) {
            Object el = at.getElement(i);
            path.append(el instanceof Integer ? "[" + el + "]" : "." + el);
        }
        String message = e.getMessage();
        // networknt starts its messages with the location; the path is shown on its own
        String prefix = at + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return SchemeError.at(path.toString(), message);
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.registerModule(new JavaTimeModule());
        // Unknown keys and values are the schema's to report, all at once; binding stays lenient.
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        m.configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL, true);
        m.configure(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS, false);
        return m;
    }

    private static Schema loadSchema() {
        try (InputStream in = SchemeDocuments.class.getResourceAsStream("scheme.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("scheme.schema.json missing from the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.outdial.dialer.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a {@link DialerConfig} from defaults, then one YAML or JSON file, then {@code DIALER_<SECTION>_<KEY>}
 * environment variables (see {@link EnvOverrides}). Unknown keys, wrong types and invalid values fail with an
 * {@link InvalidInput} whose problem names the file or variable (its source), the key's path, the value and what
 * was expected. Reached through {@link DialerConfig#load} and {@link DialerConfig#parse}.
 */
final class ConfigLoader {
    private final ObjectMapper yaml = configure(YAMLMapper.builder().build());
    private final ObjectMapper json = configure(JsonMapper.builder().build());

    /** Loads {@code file} (if any) over {@link DialerConfig#defaults()} and applies {@code env}. */
    public DialerConfig load(Optional<Path> file, Map<String, String> env) {
        return load(DialerConfig.defaults(), file, env);
    }

    /** Loads {@code file} (if any) over {@code base} and applies {@code env}. */
    public DialerConfig load(DialerConfig base, Optional<Path> file, Map<String, String> env) {
        JsonNode fileTree = MissingNode.getInstance();
        String source = "defaults";
        if (file.isPresent()) {
            Path path = file.get();
            source = path.toString();
            try {
                fileTree = mapperFor(path.toString()).readTree(Files.readString(path));
            } catch (NoSuchFileException e) {
                throw InvalidInput.of("config file " + path, "$", null, "an existing file", Reason.MISSING,
                    "config file " + path + " does not exist");
            } catch (JsonProcessingException e) {
                throw syntaxError(source, e);
            } catch (IOException e) {
                throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem("config file " + path,
                    "$", null, "a readable file", Reason.MISSING, "config file " + path + " cannot be read: "
                    + e.getMessage())), e);
            }
        }
        return bind(base, source, fileTree, env);
    }

    /** Parses {@code text} (YAML or JSON) named {@code source} over the defaults and applies {@code env}. */
    public DialerConfig parse(String text, String source, Map<String, String> env) {
        try {
            return bind(DialerConfig.defaults(), source, mapperFor(source).readTree(text), env);
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        }
    }

    private DialerConfig bind(DialerConfig base, String source, JsonNode fileTree, Map<String, String> env) {
        ObjectNode tree = yaml.valueToTree(base);
        if (fileTree != null && !fileTree.isMissingNode() && !(fileTree instanceof NullNode)) {
            if (!fileTree.isObject()) {
                throw InvalidInput.of(source, "$", fileTree.toString(), "a mapping of sections", Reason.WRONG_TYPE,
                    source + ": expected a mapping of sections (http, database, ...) at the top");
            }
            merge(tree, (ObjectNode) fileTree);
        }
        EnvOverrides overrides = EnvOverrides.apply(tree, env, yaml);
        try {
            return yaml.treeToValue(tree, DialerConfig.class);
        } catch (JsonProcessingException e) {
            throw bindError(source, overrides, e);
        }
    }

    /** Deep merge: objects merge key by key; anything else (scalars, lists) in {@code over} replaces. */
    static void merge(ObjectNode into, ObjectNode over) {
        Iterator<Map.Entry<String, JsonNode>> it = over.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue());
            } else if (existing instanceof ObjectNode && (e.getValue() == null || e.getValue().isNull())) {
                // "http:" with nothing under it: an empty section, so its defaults stay.
                continue;
            } else {
                into.set(e.getKey(), e.getValue() == null ? JsonNodeFactory.instance.nullNode() : e.getValue());
            }
        }
    }

    private static InvalidInput bindError(String source, EnvOverrides overrides, JsonProcessingException e) {
        String path = e instanceof JsonMappingException ? path((JsonMappingException) e) : "";
        String origin = overrides.variableFor(path).orElse(source);
        String at = path.isEmpty() ? "$" : "$." + path;
        InputProblem problem;
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                .map(Object::toString).sorted().collect(Collectors.joining(", "));
            problem = new InputProblem(origin, at, null, "one of: " + known, Reason.UNKNOWN_KEY,
                origin + ": unknown key \"" + path + "\" (expected one of: " + known + ")");
        } else if (e instanceof InvalidFormatException) {
            InvalidFormatException f = (InvalidFormatException) e;
            problem = new InputProblem(origin, at, String.valueOf(f.getValue()), expected(f.getTargetType()),
                Reason.WRONG_TYPE, origin + ": " + path + ": \"" + f.getValue() + "\" is not "
                + expected(f.getTargetType()));
        } else if (e instanceof ValueInstantiationException && e.getCause() != null) {
            // a section record refused a value in its constructor; its message names the key and the value
            problem = new InputProblem(origin, at, null, null, Reason.INVALID_VALUE,
                origin + ": " + (path.isEmpty() ? "" : path + ".") + e.getCause().getMessage());
        } else if (e instanceof JsonMappingException && ((JsonMappingException) e).getPath().size() > 0) {
            Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
                ? ((com.fasterxml.jackson.databind.exc.MismatchedInputException) e).getTargetType() : null;
            String expected = target == null ? "another type" : expected(target);
            problem = new InputProblem(origin, at, null, expected, Reason.WRONG_TYPE,
                origin + ": " + path + ": wrong type (expected " + expected + ")");
        } else {
            problem = new InputProblem(origin, at, null, null, Reason.INVALID_VALUE,
                origin + ": " + e.getOriginalMessage());
        }
        return new InvalidInput(InvalidInput.INVALID_FIELD, List.of(problem), e);
    }

    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return "a duration such as 500ms, 30s, 5m or PT30S";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type != null && java.util.List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return type == null ? "another type" : "a " + type.getSimpleName() + " mapping";
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static InvalidInput syntaxError(String source, JsonProcessingException e) {
        InputProblem p = StrictDocuments.problem(source, e);
        return new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(source, p.path(), null,
            p.expected(), p.reason(), source + ": not valid YAML/JSON at " + StrictDocuments.describe(e))), e);
    }

    private ObjectMapper mapperFor(String source) {
        return source.endsWith(".json") ? json : yaml;
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule durations = new SimpleModule("outdial-durations");
        durations.addSerializer(Duration.class, ToStringSerializer.instance);
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        return StrictDocuments.strict(mapper).registerModule(durations)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }

    /** Sorted view of the {@code DIALER_} variables in {@code env}, for logging which overrides applied. */
    static Map<String, String> dialerVariables(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(EnvOverrides.PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }
}

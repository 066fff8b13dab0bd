package io.outdial.dialer.config;

import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Applies {@code DIALER_<SECTION>_<KEY>} variables onto the configuration tree. Section and key match the
 * record component names case-insensitively with underscores ignored, so {@code DIALER_DATABASE_POOL_SIZE}
 * and {@code DIALER_DATABASE_POOLSIZE} both set {@code database.poolSize}. A list key takes a
 * comma-separated value; a list section ({@code DIALER_ASTERISK}, {@code DIALER_TRUNKS}) takes a JSON array.
 * An unknown section or key is an error, as in the file.
 */
final class EnvOverrides {
    static final String PREFIX = "DIALER_";

    private final Map<String, String> variableByPath = new HashMap<>();

    private EnvOverrides() {
    }

    static EnvOverrides apply(ObjectNode tree, Map<String, String> env, ObjectMapper mapper) {
        EnvOverrides result = new EnvOverrides();
        for (Map.Entry<String, String> e : ConfigLoader.dialerVariables(env).entrySet()) {
            result.applyOne(tree, e.getKey(), e.getValue(), mapper);
        }
        return result;
    }

    /** The variable that set {@code path} (or a parent of it), if a variable did. */
    Optional<String> variableFor(String path) {
        String p = path;
        while (!p.isEmpty()) {
            String v = variableByPath.get(p);
            if (v != null) {
                return Optional.of(v);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return Optional.empty();
    }

    private void applyOne(ObjectNode tree, String variable, String value, ObjectMapper mapper) {
        String[] tokens = variable.substring(PREFIX.length()).split("_");
        RecordComponent[] sections = DialerConfig.class.getRecordComponents();
        for (int i = 1; i <= tokens.length; i++) {
            RecordComponent section = find(sections, join(tokens, 0, i));
            if (section == null) {
                continue;
            }
            String name = section.getName();
            if (i == tokens.length) {
                tree.set(name, parseJson(variable, value, mapper));
                variableByPath.put(name, variable);
                return;
            }
            if (!section.getType().isRecord()) {
                throw InvalidInput.of(variable, "$." + name, null, "a JSON array in " + PREFIX
                    + name.toUpperCase(Locale.ROOT), Reason.WRONG_TYPE, variable + ": section \"" + name
                    + "\" is a list; set " + PREFIX + name.toUpperCase(Locale.ROOT) + " to a JSON array instead");
            }
            RecordComponent[] keys = section.getType().getRecordComponents();
            RecordComponent key = find(keys, join(tokens, i, tokens.length));
            if (key == null) {
                String unknown = join(tokens, i, tokens.length).toLowerCase(Locale.ROOT);
                throw InvalidInput.of(variable, "$." + name + "." + unknown, null, "one of: " + names(keys),
                    Reason.UNKNOWN_KEY, variable + ": unknown key \"" + unknown + "\" in section " + name
                    + " (expected one of: " + names(keys) + ")");
            }
            JsonNode sectionNode = tree.get(name);
            ObjectNode target = sectionNode instanceof ObjectNode ? (ObjectNode) sectionNode : tree.putObject(name);
            target.set(key.getName(), scalarOrList(key, value));
            variableByPath.put(name + "." + key.getName(), variable);
            return;
        }
        throw InvalidInput.of(variable, "$", null, "SECTION one of: " + names(sections), Reason.UNKNOWN_KEY,
            variable + ": unknown section (expected " + PREFIX + "<SECTION>_<KEY> with SECTION one of: "
            + names(sections) + ")");
    }

    private static JsonNode scalarOrList(RecordComponent key, String value) {
        if (List.class.isAssignableFrom(key.getType())) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(list::add);
            return list;
        }
        return JsonNodeFactory.instance.textNode(value);
    }

    // values of variables are never copied into problems: a variable may hold a password
    private static JsonNode parseJson(String variable, String value, ObjectMapper mapper) {
        try {
            return mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(variable, "$", null,
                "JSON or YAML", Reason.SYNTAX, variable + ": not valid JSON/YAML: " + e.getOriginalMessage())), e);
        }
    }

    private static RecordComponent find(RecordComponent[] components, String wanted) {
        String w = normalize(wanted);
        for (RecordComponent c : components) {
            if (normalize(c.getName()).equals(w)) {
                return c;
            }
        }
        return null;
    }

    private static String names(RecordComponent[] components) {
        return Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.joining(", "));
    }

    private static String join(String[] tokens, int from, int to) {
        return String.join("_", Arrays.copyOfRange(tokens, from, to));
    }

    private static String normalize(String s) {
        return s.replace("_", "").toLowerCase(Locale.ROOT);
    }
}

package io.outdial.ivr.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads from a JSON tree that record a {@link ValidationError} instead of throwing. */
final class JsonReader {

    private final List<ValidationError> errors;

    JsonReader(List<ValidationError> errors) {
        this.errors = errors;
    }

    void checkFields(JsonNode obj, String path, Set<String> allowed, String what) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                String p = path + "." + f;
                errors.add(ValidationError.error(FlowPaths.nodeIdOf(p), p, "unknown field \"" + f + "\" in "
                        + what + "; expected one of " + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    String string(JsonNode obj, String path, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            typeError(path + "." + field, "a string", v);
            return null;
        }
        return v.asText();
    }

    /** A string, number or boolean as text; null (with an error) for objects and arrays. */
    String scalar(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            typeError(path, "a string, number or boolean", v);
            return null;
        }
        return v.asText();
    }

    Integer integer(JsonNode obj, String path, String field) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            typeError(path + "." + field, "a whole number", v);
            return null;
        }
        return v.asInt();
    }

    boolean bool(JsonNode obj, String path, String field, boolean dflt) {
        JsonNode v = obj.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            typeError(path + "." + field, "true or false", v);
            return dflt;
        }
        return v.asBoolean();
    }

    Map<String, String> stringMap(JsonNode v, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            typeError(path, "an object", v);
            return out;
        }
        v.properties().forEach(e -> {
            String s = scalar(e.getValue(), path + "." + e.getKey());
            if (s != null) {
                out.put(e.getKey(), s);
            }
        });
        return out;
    }

    void typeError(String path, String expected, JsonNode actual) {
        String shown = actual.isContainerNode() ? actual.getNodeType().toString().toLowerCase() : actual.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        errors.add(ValidationError.error(FlowPaths.nodeIdOf(path), path, "expected " + expected + ", was " + shown));
    }
}

package io.outdial.dialer.campaign;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.outdial.dialer.config.StrictDocuments;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binds a campaign definition tree into a {@link CampaignDocument} with a strict Jackson mapper (unknown keys
 * refused; numbers and booleans read as leniently as the campaign format documents) and turns every refusal, a
 * section record's included, into an {@link InvalidInput} naming the source, the key's path, the value, what was
 * expected and a {@link Reason}.
 */
final class DefinitionBinder {
    private static final ObjectMapper MAPPER = mapper();

    private DefinitionBinder() {
    }

    /** The definition {@code root} (a mapping) of {@code source}, checked by its records' constructors. */
    static CampaignDocument bind(JsonNode root, String source) {
        try {
            return MAPPER.treeToValue(root, CampaignDocument.class);
        } catch (JsonProcessingException e) {
            throw translate(source, e);
        }
    }

    /**
     * A refusal found by a record's constructor or a deserializer: {@code path} is relative to the value being
     * read ({@code $} for the value itself, {@code $.maxRetries} for a key of the record), the message has no
     * source; {@link #bind} places both.
     */
    static InvalidInput refuse(String path, String value, String expected, Reason reason, String message) {
        return InvalidInput.of("", path, value, expected, reason, message);
    }

    /** {@code value} of key {@code field} as an int of at least {@code min}, or {@code dflt} when absent. */
    static int whole(String field, Long value, int dflt, int min) {
        if (value == null) {
            return dflt;
        }
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            // 2147483648 must not wrap around to -2147483648
            throw refuse("$." + field, value.toString(), min + ".." + Integer.MAX_VALUE, Reason.OUT_OF_RANGE,
                "field " + field + " is " + value + ", out of range (expected " + min + ".." + Integer.MAX_VALUE
                + ")");
        }
        if (value < min) {
            throw refuse("$." + field, value.toString(), "at least " + min, Reason.OUT_OF_RANGE,
                "field " + field + " is " + value + ", must be at least " + min);
        }
        return value.intValue();
    }

    static <T> T or(T value, T dflt) {
        return value == null ? dflt : value;
    }

    private static InvalidInput translate(String source, JsonProcessingException e) {
        String path = e instanceof JsonMappingException ? path((JsonMappingException) e) : "$";
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof InvalidInput) {
                return new InvalidInput(((InvalidInput) c).code(), ((InvalidInput) c).problems().stream()
                    .map(p -> new InputProblem(source, path + p.path().substring(1), p.value(), p.expected(),
                        p.reason(), source + ": " + p.message())).toList(), e);
            }
        }
        if (e instanceof UnrecognizedPropertyException) {
            UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
            TreeSet<String> known = u.getKnownPropertyIds() == null ? new TreeSet<>() : u.getKnownPropertyIds()
                .stream().map(Object::toString).collect(Collectors.toCollection(TreeSet::new));
            String parent = path.substring(0, path.length() - u.getPropertyName().length() - 1);
            return InvalidInput.of(source, path, null, "one of " + known, Reason.UNKNOWN_KEY, source
                + ": unknown field(s) [" + u.getPropertyName() + "]" + (parent.equals("$") ? "" : " in "
                + parent.substring(2)) + "; known: " + known);
        }
        if (e instanceof ValueInstantiationException && (e.getCause() instanceof IllegalArgumentException
            || e.getCause() instanceof DateTimeException)) {
            // a section built its domain object (a trunk, a calendar) in its constructor, which refused a value
            return new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(source, path, null, null,
                Reason.INVALID_VALUE, source + ": " + (path.equals("$") ? "" : path.substring(2) + ": ")
                + e.getCause().getMessage())), e);
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof RuntimeException) {
            throw (RuntimeException) e.getCause(); // a fault of the node, not of the input
        }
        String expected = expected(e);
        return InvalidInput.of(source, path, null, expected, Reason.WRONG_TYPE, source + ": field "
            + (path.equals("$") ? "(the definition)" : path.substring(2)) + " has the wrong type (expected "
            + expected + ")");
    }

    private static String expected(JsonProcessingException e) {
        Class<?> type = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException
            ? ((com.fasterxml.jackson.databind.exc.MismatchedInputException) e).getTargetType() : null;
        if (type == null) {
            return "another type";
        }
        return List.class.isAssignableFrom(type) ? "a list" : type.isRecord() ? "a mapping" : "a text";
    }

    /** {@code $.attempts.rules[1].outcome}: where the problem was found. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static ObjectMapper mapper() {
        SimpleModule lenient = new SimpleModule("outdial-campaign-definitions");
        lenient.addDeserializer(String.class, new Text());
        lenient.addDeserializer(Long.class, new Whole());
        lenient.addDeserializer(Boolean.class, new Flag());
        lenient.addDeserializer(Double.class, new Decimal());
        lenient.addDeserializer(Duration.class, new Span());
        return StrictDocuments.strict(JsonMapper.builder().build()).registerModule(lenient)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(DeserializationFeature.WRAP_EXCEPTIONS);
    }

    private static String field(JsonParser p) {
        String name;
        try {
            name = p.currentName();
        } catch (IOException e) {
            name = null;
        }
        return name == null ? "value" : name;
    }

    /** Any scalar as its text (a number or a boolean given for a text is taken as written). */
    static final class Text extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken().isScalarValue()) {
                return p.getText();
            }
            String field = field(p);
            JsonNode n = ctxt.readTree(p);
            throw refuse("$", n.toString(), "a text", Reason.WRONG_TYPE, "field " + field + " must be a text, got "
                + n);
        }
    }

    /** A whole number, also given as digits in a text; range checks are the records'. */
    static final class Whole extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String field = field(p);
            JsonToken t = p.currentToken();
            String digits = t == JsonToken.VALUE_NUMBER_INT ? p.getText()
                : t == JsonToken.VALUE_STRING && p.getText().matches("-?\\d+") ? p.getText() : null;
            if (digits != null) {
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw refuse("$", digits, "a whole number of at most 10 digits", Reason.OUT_OF_RANGE,
                        "field " + field + " is " + digits + ", out of range");
                }
            }
            JsonNode n = ctxt.readTree(p);
            throw refuse("$", n.toString(), "a whole number", Reason.WRONG_TYPE, "field " + field
                + " must be a whole number, got " + n);
        }
    }

    /** A number, also given as a text. */
    static final class Decimal extends JsonDeserializer<Double> {
        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String field = field(p);
            if (p.currentToken().isNumeric()) {
                return p.getDoubleValue();
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return Double.parseDouble(p.getText().trim());
                } catch (NumberFormatException e) {
                    // refused below
                }
            }
            JsonNode n = ctxt.readTree(p);
            throw refuse("$", n.toString(), "a number", Reason.WRONG_TYPE, "field " + field + " must be a number, got "
                + n);
        }
    }

    /**
     * A flag read as the campaign format always has: true, the text "true", or a non-zero whole number is true;
     * any other scalar is false.
     */
    static final class Flag extends JsonDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            if (t == JsonToken.VALUE_STRING) {
                return "true".equals(p.getText().trim());
            }
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getText().chars().anyMatch(c -> c >= '1' && c <= '9');
            }
            if (t.isScalarValue()) {
                return false;
            }
            String field = field(p);
            JsonNode n = ctxt.readTree(p);
            throw refuse("$", n.toString(), "true or false", Reason.WRONG_TYPE, "field " + field
                + " must be true or false, got " + n);
        }
    }

    /** A duration such as 30s, 10m, 2h, PT30S or a number of seconds. */
    static final class Span extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String field = field(p);
            if (p.currentToken().isScalarValue()) {
                String v = p.getText();
                try {
                    return StrictDocuments.duration(v);
                } catch (RuntimeException e) {
                    throw refuse("$", v, "a duration such as 30s, 10m or 2h", Reason.INVALID_FORMAT,
                        "field " + field + " \"" + v + "\" is not a duration (e.g. 30s, 10m, 2h)");
                }
            }
            JsonNode n = ctxt.readTree(p);
            throw refuse("$", n.toString(), "a duration such as 30s, 10m or 2h", Reason.WRONG_TYPE,
                "field " + field + " must be a text, got " + n);
        }
    }
}

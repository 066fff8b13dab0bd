package io.outdial.dialer.ari;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Parses ARI event JSON into {@link AriEvent}s; thread-safe and shared. */
final class AriEvents {
    /** The mapper used for ARI JSON: unknown fields ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);

    /**
     * The event types some part of the dialer acts on (the call engine, trunk health, the doctor's probe): the only
     * ones {@link AriServer} binds and hands to its handlers, and the only ones it asks Asterisk to send its app (the
     * app's event filter). A call's other frames (ChannelDialplan, ChannelVarset, StasisEnd, PlaybackStarted, ...;
     * about two fifths of them) are then not sent at all; where Asterisk does not filter, they are read up to their
     * {@code type} and dropped.
     */
    public static final Set<String> ACTED_ON = Set.of("StasisStart", "Dial", "ChannelStateChange",
            "ChannelDtmfReceived", "ChannelHangupRequest", "ChannelDestroyed", "PlaybackFinished", "RecordingFinished",
            "RecordingFailed", "ApplicationReplaced", "EndpointStateChange");

    /** The records of the types in {@link #ACTED_ON}, as {@link AriEvent}'s type names map them. */
    private static final Set<Class<?>> ACTED_ON_RECORDS = Arrays.stream(
            AriEvent.class.getAnnotation(JsonSubTypes.class).value())
            .filter(t -> ACTED_ON.contains(t.name())).map(JsonSubTypes.Type::value)
            .collect(Collectors.toUnmodifiableSet());

    /** Whether {@code event} is of a type in {@link #ACTED_ON}. */
    static boolean actedOn(AriEvent event) {
        return ACTED_ON_RECORDS.contains(event.getClass());
    }

    private AriEvents() { }

    /**
     * The top-level {@code type} of an event frame, read without binding the rest of it (the fields before it are
     * skipped as tokens); null when the text is not a JSON object or has no string {@code type}.
     */
    public static String typeOf(String json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return typeOf(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@link #typeOf(String)} of an event frame's UTF-8 bytes, as the events websocket delivers them. */
    public static String typeOf(byte[] json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            return typeOf(p);
        } catch (IOException e) {
            return null;
        }
    }

    private static String typeOf(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean type = "type".equals(p.currentName());
            JsonToken value = p.nextToken();
            if (type) {
                return value == JsonToken.VALUE_STRING ? p.getText() : null;
            }
            p.skipChildren();
        }
        return null;
    }

    /**
     * Parses one event.
     *
     * @throws IllegalArgumentException naming the input when it is not a JSON object with a {@code type}
     */
    public static AriEvent parse(String json) {
        try {
            return nonNull(MAPPER.readValue(json, AriEvent.class), json);
        } catch (JsonProcessingException e) {
            throw unreadable(json, e);
        }
    }

    /**
     * Parses one event from its UTF-8 bytes (an events websocket frame, read without first decoding it to a string):
     * a call's events field by field ({@link AriEventReader}), any other through the mapper, to the same records.
     *
     * @throws IllegalArgumentException naming the input when it is not a JSON object with a {@code type}
     */
    public static AriEvent parse(byte[] json) {
        AriEvent read = AriEventReader.read(json);
        if (read != null) {
            return read;
        }
        return bind(json);
    }

    /** {@link #parse(byte[])} through the mapper alone (the reference the field-by-field reader is held to). */
    static AriEvent bind(byte[] json) {
        try {
            return nonNull(MAPPER.readValue(json, AriEvent.class), json);
        } catch (JsonProcessingException e) {
            throw unreadable(json, e);
        } catch (IOException e) { // not thrown for an array in memory; declared by the byte[] overload
            throw new UncheckedIOException(e);
        }
    }

    private static AriEvent nonNull(AriEvent event, Object json) {
        if (event == null) {
            throw new IllegalArgumentException("ARI event is null: " + shown(json));
        }
        return event;
    }

    private static IllegalArgumentException unreadable(Object json, JsonProcessingException e) {
        return new IllegalArgumentException("ARI event " + shown(json) + " is not a JSON object with a \"type\": "
                + e.getOriginalMessage(), e);
    }

    /** The start of an event's text (a string, or UTF-8 bytes) for an error message. */
    private static String shown(Object json) {
        return abbreviate(json instanceof byte[] ? new String((byte[]) json, 0, Math.min(((byte[]) json).length, 400),
                StandardCharsets.UTF_8) : (String) json);
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

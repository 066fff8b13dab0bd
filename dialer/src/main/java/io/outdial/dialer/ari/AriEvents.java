package io.outdial.dialer.ari;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Set;

/** Parses ARI event JSON into {@link AriEvent}s; thread-safe and shared. */
public final class AriEvents {
    /** The mapper used for ARI JSON: unknown fields ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);

    /**
     * The event types some part of the dialer acts on (the call engine, trunk health, the doctor's probe): the only
     * ones {@link AriServer} binds and hands to its handlers. A call's other frames (ChannelDialplan, ChannelVarset,
     * StasisEnd, PlaybackStarted, ...; about half of them) are read up to their {@code type} and dropped.
     */
    public static final Set<String> ACTED_ON = Set.of("StasisStart", "Dial", "ChannelStateChange",
            "ChannelDtmfReceived", "ChannelHangupRequest", "ChannelDestroyed", "PlaybackFinished", "RecordingFinished",
            "RecordingFailed", "ApplicationReplaced", "EndpointStateChange");

    private AriEvents() { }

    /**
     * The top-level {@code type} of an event frame, read without binding the rest of it (the fields before it are
     * skipped as tokens); null when the text is not a JSON object or has no string {@code type}.
     */
    public static String typeOf(String json) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
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
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Parses one event.
     *
     * @throws IllegalArgumentException naming the input when it is not a JSON object with a {@code type}
     */
    public static AriEvent parse(String json) {
        try {
            AriEvent event = MAPPER.readValue(json, AriEvent.class);
            if (event == null) {
                throw new IllegalArgumentException("ARI event is null: " + abbreviate(json));
            }
            return event;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ARI event " + abbreviate(json)
                    + " is not a JSON object with a \"type\": " + e.getOriginalMessage(), e);
        }
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}

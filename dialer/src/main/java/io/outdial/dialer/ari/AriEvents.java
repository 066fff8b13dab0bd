package io.outdial.dialer.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Parses ARI event JSON into {@link AriEvent}s; thread-safe and shared. */
public final class AriEvents {
    /** The mapper used for ARI JSON: unknown fields ignored. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);

    private AriEvents() { }

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

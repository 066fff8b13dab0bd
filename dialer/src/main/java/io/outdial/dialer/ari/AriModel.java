package io.outdial.dialer.ari;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Snapshots of ARI resources as Asterisk puts them in events and REST replies. Only the fields the dialer
 * uses are bound; unknown fields are ignored so newer Asterisk versions do not break parsing.
 */
public final class AriModel {
    private AriModel() { }

    /** Caller or connected-line identity of a channel. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CallerId(String name, String number) { }

    /** Where a channel is in the dialplan; {@code appData} holds the Stasis args after the app name. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Dialplan(String context, String exten, int priority,
                           @JsonProperty("app_name") String appName, @JsonProperty("app_data") String appData) { }

    /** A channel snapshot ({@code state}: Down, Ring, Ringing, Up, Busy, ...). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Channel(String id, String name, String state, CallerId caller, CallerId connected,
                          Dialplan dialplan, String creationtime) {
        /** True when the channel currently runs the Stasis application (i.e. it is ours to control). */
        public boolean inStasis() {
            return dialplan != null && "Stasis".equalsIgnoreCase(dialplan.appName());
        }
    }

    /** A playback ({@code state}: queued, playing, done, failed); {@code targetUri} is {@code channel:<id>}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Playback(String id, @JsonProperty("media_uri") String mediaUri,
                           @JsonProperty("target_uri") String targetUri, String state) { }

    /** A live recording ({@code duration} is whole seconds, truncated). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Recording(String name, String format, String state, @JsonProperty("target_uri") String targetUri,
                            Integer duration, String cause) { }

    /** A stored recording. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StoredRecording(String name, String format) { }

    /** A bridge and the channel ids in it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bridge(String id, String technology, @JsonProperty("bridge_type") String bridgeType,
                        String name, List<String> channels) {
        public Bridge {
            channels = channels == null ? List.of() : List.copyOf(channels);
        }
    }

    /** A registered ARI application and the channels it owns. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Application(String name, @JsonProperty("channel_ids") List<String> channelIds) {
        public Application {
            channelIds = channelIds == null ? List.of() : List.copyOf(channelIds);
        }
    }

    /**
     * An endpoint ({@code GET /endpoints/{tech}/{resource}}, {@code EndpointStateChange.endpoint}); {@code state} is
     * "unknown", "offline" or "online" (may be absent). Its {@code channel_ids} are skipped, not bound: the list
     * names every live channel on the endpoint and nothing here reads it.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Endpoint(String technology, String resource, String state) {

        /** {@code TECH/resource}, as in event sources and logs. */
        public String ref() {
            return technology + "/" + resource;
        }
    }

    /** A channel variable value. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Variable(String value) { }

    /** Extracts the channel id from a {@code channel:<id>} target URI, or null for other targets. */
    public static String channelIdOfTarget(String targetUri) {
        return targetUri != null && targetUri.startsWith("channel:") ? targetUri.substring("channel:".length()) : null;
    }
}

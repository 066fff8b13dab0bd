package io.outdial.dialer.ari;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.outdial.dialer.ari.AriModel.Bridge;
import io.outdial.dialer.ari.AriModel.Channel;
import io.outdial.dialer.ari.AriModel.Playback;
import io.outdial.dialer.ari.AriModel.Recording;

import java.util.List;

/**
 * One event from an ARI events websocket, bound by its {@code type} field. Types we do not model parse to
 * {@link Unknown} (logged and skipped, never fatal); unknown fields are ignored.
 *
 * <p>{@link #channelId()} names the channel the event is about, which is how the call engine routes it:
 * for {@link Dial} that is the {@code peer} (the originated channel), for playbacks and recordings the
 * channel in their {@code target_uri}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", visible = true, defaultImpl = AriEvent.Unknown.class)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AriEvent.StasisStart.class, name = "StasisStart"),
    @JsonSubTypes.Type(value = AriEvent.StasisEnd.class, name = "StasisEnd"),
    @JsonSubTypes.Type(value = AriEvent.Dial.class, name = "Dial"),
    @JsonSubTypes.Type(value = AriEvent.ChannelStateChange.class, name = "ChannelStateChange"),
    @JsonSubTypes.Type(value = AriEvent.ChannelDtmfReceived.class, name = "ChannelDtmfReceived"),
    @JsonSubTypes.Type(value = AriEvent.ChannelHangupRequest.class, name = "ChannelHangupRequest"),
    @JsonSubTypes.Type(value = AriEvent.ChannelDestroyed.class, name = "ChannelDestroyed"),
    @JsonSubTypes.Type(value = AriEvent.ChannelVarset.class, name = "ChannelVarset"),
    @JsonSubTypes.Type(value = AriEvent.ChannelDialplan.class, name = "ChannelDialplan"),
    @JsonSubTypes.Type(value = AriEvent.ChannelCallerId.class, name = "ChannelCallerId"),
    @JsonSubTypes.Type(value = AriEvent.ChannelConnectedLine.class, name = "ChannelConnectedLine"),
    @JsonSubTypes.Type(value = AriEvent.ChannelEnteredBridge.class, name = "ChannelEnteredBridge"),
    @JsonSubTypes.Type(value = AriEvent.ChannelLeftBridge.class, name = "ChannelLeftBridge"),
    @JsonSubTypes.Type(value = AriEvent.BridgeDestroyed.class, name = "BridgeDestroyed"),
    @JsonSubTypes.Type(value = AriEvent.PlaybackStarted.class, name = "PlaybackStarted"),
    @JsonSubTypes.Type(value = AriEvent.PlaybackFinished.class, name = "PlaybackFinished"),
    @JsonSubTypes.Type(value = AriEvent.RecordingStarted.class, name = "RecordingStarted"),
    @JsonSubTypes.Type(value = AriEvent.RecordingFinished.class, name = "RecordingFinished"),
    @JsonSubTypes.Type(value = AriEvent.RecordingFailed.class, name = "RecordingFailed"),
    @JsonSubTypes.Type(value = AriEvent.ApplicationReplaced.class, name = "ApplicationReplaced"),
    @JsonSubTypes.Type(value = AriEvent.EndpointStateChange.class, name = "EndpointStateChange")
})
public sealed interface AriEvent {

    /** The id of the channel this event is about, or null (application or bridge events). */
    String channelId();

    private static String target(String uri) {
        return AriModel.channelIdOfTarget(uri);
    }

    private static String id(Channel c) {
        return c == null ? null : c.id();
    }

    /** The channel entered the Stasis app (after answer); {@code args} are the Stasis/appArgs arguments. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StasisStart(List<String> args, Channel channel) implements AriEvent {
        public StasisStart {
            args = args == null ? List.of() : List.copyOf(args);
        }
        public String channelId() { return id(channel); }
    }

    /** The channel left the Stasis app (hung up or continued in the dialplan). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StasisEnd(Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** Dial progress of {@code peer} (the originated channel): "", RINGING, ANSWER, BUSY, CONGESTION, ... */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Dial(String dialstatus, String dialstring, Channel peer, Channel caller) implements AriEvent {
        public String channelId() { return id(peer); }
    }

    /** The channel's state changed (Ringing, Up, Busy, ...). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelStateChange(Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** A DTMF digit arrived on the channel. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelDtmfReceived(String digit, @JsonProperty("duration_ms") int durationMs, Channel channel)
            implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** A hangup was requested. The cause is NOT a reliable Q.850 cause (gotcha 6): never classify on it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelHangupRequest(Integer cause, Boolean soft, Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel is gone; {@code cause} is the Q.850 hangup cause (0 = unknown). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelDestroyed(int cause, @JsonProperty("cause_txt") String causeTxt, Channel channel)
            implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** A variable was set on the channel (channel may be null for global variables). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelVarset(String variable, String value, Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel entered a dialplan application. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelDialplan(@JsonProperty("dialplan_app") String dialplanApp,
                           @JsonProperty("dialplan_app_data") String dialplanAppData, Channel channel)
            implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel's caller id changed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelCallerId(@JsonProperty("caller_presentation") Integer callerPresentation, Channel channel)
            implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel's connected line changed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelConnectedLine(Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel entered a bridge. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelEnteredBridge(Bridge bridge, Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** The channel left a bridge (comes before that channel's StasisEnd). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChannelLeftBridge(Bridge bridge, Channel channel) implements AriEvent {
        public String channelId() { return id(channel); }
    }

    /** A bridge was destroyed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record BridgeDestroyed(Bridge bridge) implements AriEvent {
        public String channelId() { return null; }
    }

    /** A playback started (may arrive before the play request's reply). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlaybackStarted(Playback playback) implements AriEvent {
        public String channelId() { return playback == null ? null : target(playback.targetUri()); }
    }

    /** A playback ended: {@code done} (played or stopped) or {@code failed} (bad media or hangup). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PlaybackFinished(Playback playback) implements AriEvent {
        public String channelId() { return playback == null ? null : target(playback.targetUri()); }
    }

    /** A recording started. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordingStarted(Recording recording) implements AriEvent {
        public String channelId() { return recording == null ? null : target(recording.targetUri()); }
    }

    /** A recording ended and is stored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordingFinished(Recording recording) implements AriEvent {
        public String channelId() { return recording == null ? null : target(recording.targetUri()); }
    }

    /** A recording failed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record RecordingFailed(Recording recording) implements AriEvent {
        public String channelId() { return recording == null ? null : target(recording.targetUri()); }
    }

    /** Another websocket took this application over: this connection receives nothing more. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ApplicationReplaced(String application) implements AriEvent {
        public String channelId() { return null; }
    }

    /** An endpoint the app is subscribed to ({@code endpoint:TECH/resource}) changed state. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointStateChange(AriModel.Endpoint endpoint) implements AriEvent {
        public String channelId() { return null; }
    }

    /** Any event type the dialer does not model; logged and skipped. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Unknown(String type) implements AriEvent {
        public String channelId() { return null; }
    }
}

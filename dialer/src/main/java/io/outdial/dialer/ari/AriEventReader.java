package io.outdial.dialer.ari;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.outdial.dialer.ari.AriModel.CallerId;
import io.outdial.dialer.ari.AriModel.Channel;
import io.outdial.dialer.ari.AriModel.Dialplan;
import io.outdial.dialer.ari.AriModel.Endpoint;
import io.outdial.dialer.ari.AriModel.Playback;
import io.outdial.dialer.ari.AriModel.Recording;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the events of a call (the types {@link AriEvents#ACTED_ON}, with StasisEnd, PlaybackStarted and
 * RecordingStarted) from their UTF-8 bytes field by field with Jackson's streaming parser: the fields the records
 * hold are read, every other one is skipped as tokens, and no data-binding machinery runs per event. It answers
 * exactly what {@code AriEvents.MAPPER} binds for the same bytes (a test holds the two together over every event of
 * the Asterisk transcripts); whatever it does not bind as plainly (another type, a value of an unexpected kind,
 * malformed JSON) it leaves to the mapper by answering null.
 */
final class AriEventReader {
    /** A value this reader leaves to the mapper (thrown without a stack: it is an answer, not an error). */
    private static final class NotPlain extends Exception {
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private AriEventReader() { }

    /** The event bound from {@code json}, or null when the mapper is to bind it. */
    static AriEvent read(byte[] json) {
        try (JsonParser p = AriEvents.MAPPER.getFactory().createParser(json)) {
            return event(p);
        } catch (IOException | NotPlain | RuntimeException e) {
            return null;
        }
    }

    private static AriEvent event(JsonParser p) throws IOException, NotPlain {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String type = null;
        Channel channel = null;
        Channel peer = null;
        Channel caller = null;
        List<String> args = null;
        String dialstatus = null;
        String dialstring = null;
        String digit = null;
        int durationMs = 0;
        Integer cause = null;
        String causeTxt = null;
        Boolean soft = null;
        Playback playback = null;
        Recording recording = null;
        String application = null;
        Endpoint endpoint = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "type" -> {
                    seen = once(seen, 1);
                    if (t != JsonToken.VALUE_STRING) {
                        throw NotPlain.INSTANCE;
                    }
                    type = p.getText();
                }
                case "channel" -> {
                    seen = once(seen, 2);
                    channel = channel(p, t);
                }
                case "peer" -> {
                    seen = once(seen, 4);
                    peer = channel(p, t);
                }
                case "caller" -> {
                    seen = once(seen, 8);
                    caller = channel(p, t);
                }
                case "args" -> {
                    seen = once(seen, 16);
                    args = strings(p, t);
                }
                case "dialstatus" -> {
                    seen = once(seen, 32);
                    dialstatus = text(p, t);
                }
                case "dialstring" -> {
                    seen = once(seen, 64);
                    dialstring = text(p, t);
                }
                case "digit" -> {
                    seen = once(seen, 128);
                    digit = text(p, t);
                }
                case "duration_ms" -> {
                    seen = once(seen, 256);
                    durationMs = primitive(p, t);
                }
                case "cause" -> {
                    seen = once(seen, 512);
                    cause = integer(p, t);
                }
                case "cause_txt" -> {
                    seen = once(seen, 1024);
                    causeTxt = text(p, t);
                }
                case "soft" -> {
                    seen = once(seen, 2048);
                    soft = bool(p, t);
                }
                case "playback" -> {
                    seen = once(seen, 4096);
                    playback = playback(p, t);
                }
                case "recording" -> {
                    seen = once(seen, 8192);
                    recording = recording(p, t);
                }
                case "application" -> {
                    seen = once(seen, 16384);
                    application = text(p, t);
                }
                case "endpoint" -> {
                    seen = once(seen, 32768);
                    endpoint = endpoint(p, t);
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT || type == null) {
            return null;
        }
        return switch (type) {
            case "StasisStart" -> args != null && args.contains(null) ? null : new AriEvent.StasisStart(args, channel);
            case "StasisEnd" -> new AriEvent.StasisEnd(channel);
            case "Dial" -> new AriEvent.Dial(dialstatus, dialstring, peer, caller);
            case "ChannelStateChange" -> new AriEvent.ChannelStateChange(channel);
            case "ChannelDtmfReceived" -> new AriEvent.ChannelDtmfReceived(digit, durationMs, channel);
            case "ChannelHangupRequest" -> new AriEvent.ChannelHangupRequest(cause, soft, channel);
            case "ChannelDestroyed" -> new AriEvent.ChannelDestroyed(cause == null ? 0 : cause, causeTxt, channel);
            case "PlaybackStarted" -> new AriEvent.PlaybackStarted(playback);
            case "PlaybackFinished" -> new AriEvent.PlaybackFinished(playback);
            case "RecordingStarted" -> new AriEvent.RecordingStarted(recording);
            case "RecordingFinished" -> new AriEvent.RecordingFinished(recording);
            case "RecordingFailed" -> new AriEvent.RecordingFailed(recording);
            case "ApplicationReplaced" -> new AriEvent.ApplicationReplaced(application);
            case "EndpointStateChange" -> new AriEvent.EndpointStateChange(endpoint);
            default -> null;
        };
    }

    private static Channel channel(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String id = null;
        String name = null;
        String state = null;
        CallerId caller = null;
        CallerId connected = null;
        Dialplan dialplan = null;
        String creationtime = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id" -> {
                    seen = once(seen, 1);
                    id = text(p, v);
                }
                case "name" -> {
                    seen = once(seen, 2);
                    name = text(p, v);
                }
                case "state" -> {
                    seen = once(seen, 4);
                    state = text(p, v);
                }
                case "caller" -> {
                    seen = once(seen, 8);
                    caller = callerId(p, v);
                }
                case "connected" -> {
                    seen = once(seen, 16);
                    connected = callerId(p, v);
                }
                case "dialplan" -> {
                    seen = once(seen, 32);
                    dialplan = dialplan(p, v);
                }
                case "creationtime" -> {
                    seen = once(seen, 64);
                    creationtime = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new Channel(id, name, state, caller, connected, dialplan, creationtime);
    }

    private static CallerId callerId(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String name = null;
        String number = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    seen = once(seen, 1);
                    name = text(p, v);
                }
                case "number" -> {
                    seen = once(seen, 2);
                    number = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new CallerId(name, number);
    }

    private static Dialplan dialplan(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String context = null;
        String exten = null;
        int priority = 0;
        String appName = null;
        String appData = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "context" -> {
                    seen = once(seen, 1);
                    context = text(p, v);
                }
                case "exten" -> {
                    seen = once(seen, 2);
                    exten = text(p, v);
                }
                case "priority" -> {
                    seen = once(seen, 4);
                    priority = primitive(p, v);
                }
                case "app_name" -> {
                    seen = once(seen, 8);
                    appName = text(p, v);
                }
                case "app_data" -> {
                    seen = once(seen, 16);
                    appData = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new Dialplan(context, exten, priority, appName, appData);
    }

    private static Playback playback(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String id = null;
        String mediaUri = null;
        String targetUri = null;
        String state = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "id" -> {
                    seen = once(seen, 1);
                    id = text(p, v);
                }
                case "media_uri" -> {
                    seen = once(seen, 2);
                    mediaUri = text(p, v);
                }
                case "target_uri" -> {
                    seen = once(seen, 4);
                    targetUri = text(p, v);
                }
                case "state" -> {
                    seen = once(seen, 8);
                    state = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new Playback(id, mediaUri, targetUri, state);
    }

    private static Recording recording(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String name = null;
        String format = null;
        String state = null;
        String targetUri = null;
        Integer duration = null;
        String cause = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "name" -> {
                    seen = once(seen, 1);
                    name = text(p, v);
                }
                case "format" -> {
                    seen = once(seen, 2);
                    format = text(p, v);
                }
                case "state" -> {
                    seen = once(seen, 4);
                    state = text(p, v);
                }
                case "target_uri" -> {
                    seen = once(seen, 8);
                    targetUri = text(p, v);
                }
                case "duration" -> {
                    seen = once(seen, 16);
                    duration = integer(p, v);
                }
                case "cause" -> {
                    seen = once(seen, 32);
                    cause = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new Recording(name, format, state, targetUri, duration, cause);
    }

    private static Endpoint endpoint(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        object(t);
        String technology = null;
        String resource = null;
        String state = null;
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "technology" -> {
                    seen = once(seen, 1);
                    technology = text(p, v);
                }
                case "resource" -> {
                    seen = once(seen, 2);
                    resource = text(p, v);
                }
                case "state" -> {
                    seen = once(seen, 4);
                    state = text(p, v);
                }
                default -> p.skipChildren();
            }
        }
        return new Endpoint(technology, resource, state);
    }

    private static List<String> strings(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw NotPlain.INSTANCE;
        }
        List<String> out = new ArrayList<>(4);
        JsonToken v;
        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(text(p, v));
        }
        return out;
    }

    /** Marks a field read; one seen before is left to the mapper (it refuses a repeated creator property). */
    private static int once(int seen, int bit) throws NotPlain {
        if ((seen & bit) != 0) {
            throw NotPlain.INSTANCE;
        }
        return seen | bit;
    }

    private static void object(JsonToken t) throws NotPlain {
        if (t != JsonToken.START_OBJECT) {
            throw NotPlain.INSTANCE;
        }
    }

    private static String text(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw NotPlain.INSTANCE;
    }

    private static Integer integer(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        return primitive(p, t);
    }

    private static int primitive(JsonParser p, JsonToken t) throws IOException, NotPlain {
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw NotPlain.INSTANCE;
        }
        return p.getIntValue();
    }

    private static Boolean bool(JsonParser p, JsonToken t) throws NotPlain {
        return switch (t) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw NotPlain.INSTANCE;
        };
    }
}

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
            return new EventFields().read(p, p.nextToken());
        } catch (IOException | NotPlain | RuntimeException e) {
            return null;
        }
    }

    /**
     * Reads one JSON object into a value: {@link #field} takes the fields the value holds, every other one is skipped
     * as tokens; a field named twice is left to the mapper (it refuses a repeated creator property).
     */
    private abstract static class ObjectFields<T> {
        /** The bits of the fields read. */
        private int seen;

        /**
         * Reads {@code name}'s value (the parser on its first token {@code v}) and answers the field's own bit, or 0
         * when T holds no such field.
         */
        abstract int field(JsonParser p, String name, JsonToken v) throws IOException, NotPlain;

        abstract T value() throws NotPlain;

        final T read(JsonParser p, JsonToken t) throws IOException, NotPlain {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw NotPlain.INSTANCE;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                int bit = field(p, name, v);
                if (bit == 0) {
                    p.skipChildren();
                } else if ((seen & bit) != 0) {
                    throw NotPlain.INSTANCE;
                } else {
                    seen |= bit;
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw NotPlain.INSTANCE;
            }
            return value();
        }

    }

    /** The event itself: its type and the fields of every type this reader binds. */
    private static final class EventFields extends ObjectFields<AriEvent> {
        private String type;
        private Channel channel;
        private Channel peer;
        private Channel caller;
        private List<String> args;
        private String dialstatus;
        private String dialstring;
        private String digit;
        private int durationMs;
        private Integer cause;
        private String causeTxt;
        private Boolean soft;
        private Playback playback;
        private Recording recording;
        private String application;
        private Endpoint endpoint;

        @Override
        int field(JsonParser p, String name, JsonToken v) throws IOException, NotPlain {
            return switch (name) {
                case "type" -> { type = v == JsonToken.VALUE_STRING ? p.getText() : notPlain(); yield 1; }
                case "channel" -> { channel = new ChannelFields().read(p, v); yield 2; }
                case "peer" -> { peer = new ChannelFields().read(p, v); yield 4; }
                case "caller" -> { caller = new ChannelFields().read(p, v); yield 8; }
                case "args" -> { args = strings(p, v); yield 16; }
                case "dialstatus" -> { dialstatus = text(p, v); yield 32; }
                case "dialstring" -> { dialstring = text(p, v); yield 64; }
                case "digit" -> { digit = text(p, v); yield 128; }
                case "duration_ms" -> { durationMs = primitive(p, v); yield 256; }
                case "cause" -> { cause = integer(p, v); yield 512; }
                case "cause_txt" -> { causeTxt = text(p, v); yield 1024; }
                case "soft" -> { soft = bool(v); yield 2048; }
                case "playback" -> { playback = new PlaybackFields().read(p, v); yield 4096; }
                case "recording" -> { recording = new RecordingFields().read(p, v); yield 8192; }
                case "application" -> { application = text(p, v); yield 16384; }
                case "endpoint" -> { endpoint = new EndpointFields().read(p, v); yield 32768; }
                default -> 0;
            };
        }

        @Override
        AriEvent value() {
            if (type == null) {
                return null;
            }
            return switch (type) {
                case "StasisStart" -> args != null && args.contains(null) ? null
                    : new AriEvent.StasisStart(args, channel);
                case "StasisEnd" -> new AriEvent.StasisEnd(channel);
                case "Dial" -> new AriEvent.Dial(dialstatus, dialstring, peer, caller);
                case "ChannelStateChange" -> new AriEvent.ChannelStateChange(channel);
                case "ChannelDtmfReceived" -> new AriEvent.ChannelDtmfReceived(digit, durationMs, channel);
                case "ChannelHangupRequest" -> new AriEvent.ChannelHangupRequest(cause, soft, channel);
                case "ChannelDestroyed" -> new AriEvent.ChannelDestroyed(cause == null ? 0 : cause, causeTxt,
                    channel);
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
    }

    private static final class ChannelFields extends ObjectFields<Channel> {
        private String id;
        private String name;
        private String state;
        private CallerId caller;
        private CallerId connected;
        private Dialplan dialplan;
        private String creationtime;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "id" -> { id = text(p, v); yield 1; }
                case "name" -> { name = text(p, v); yield 2; }
                case "state" -> { state = text(p, v); yield 4; }
                case "caller" -> { caller = new CallerIdFields().read(p, v); yield 8; }
                case "connected" -> { connected = new CallerIdFields().read(p, v); yield 16; }
                case "dialplan" -> { dialplan = new DialplanFields().read(p, v); yield 32; }
                case "creationtime" -> { creationtime = text(p, v); yield 64; }
                default -> 0;
            };
        }

        @Override
        Channel value() {
            return new Channel(id, name, state, caller, connected, dialplan, creationtime);
        }
    }

    private static final class CallerIdFields extends ObjectFields<CallerId> {
        private String name;
        private String number;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "name" -> { name = text(p, v); yield 1; }
                case "number" -> { number = text(p, v); yield 2; }
                default -> 0;
            };
        }

        @Override
        CallerId value() {
            return new CallerId(name, number);
        }
    }

    private static final class DialplanFields extends ObjectFields<Dialplan> {
        private String context;
        private String exten;
        private int priority;
        private String appName;
        private String appData;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "context" -> { context = text(p, v); yield 1; }
                case "exten" -> { exten = text(p, v); yield 2; }
                case "priority" -> { priority = primitive(p, v); yield 4; }
                case "app_name" -> { appName = text(p, v); yield 8; }
                case "app_data" -> { appData = text(p, v); yield 16; }
                default -> 0;
            };
        }

        @Override
        Dialplan value() {
            return new Dialplan(context, exten, priority, appName, appData);
        }
    }

    private static final class PlaybackFields extends ObjectFields<Playback> {
        private String id;
        private String mediaUri;
        private String targetUri;
        private String state;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "id" -> { id = text(p, v); yield 1; }
                case "media_uri" -> { mediaUri = text(p, v); yield 2; }
                case "target_uri" -> { targetUri = text(p, v); yield 4; }
                case "state" -> { state = text(p, v); yield 8; }
                default -> 0;
            };
        }

        @Override
        Playback value() {
            return new Playback(id, mediaUri, targetUri, state);
        }
    }

    private static final class RecordingFields extends ObjectFields<Recording> {
        private String name;
        private String format;
        private String state;
        private String targetUri;
        private Integer duration;
        private String cause;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "name" -> { name = text(p, v); yield 1; }
                case "format" -> { format = text(p, v); yield 2; }
                case "state" -> { state = text(p, v); yield 4; }
                case "target_uri" -> { targetUri = text(p, v); yield 8; }
                case "duration" -> { duration = integer(p, v); yield 16; }
                case "cause" -> { cause = text(p, v); yield 32; }
                default -> 0;
            };
        }

        @Override
        Recording value() {
            return new Recording(name, format, state, targetUri, duration, cause);
        }
    }

    private static final class EndpointFields extends ObjectFields<Endpoint> {
        private String technology;
        private String resource;
        private String state;

        @Override
        int field(JsonParser p, String field, JsonToken v) throws IOException, NotPlain {
            return switch (field) {
                case "technology" -> { technology = text(p, v); yield 1; }
                case "resource" -> { resource = text(p, v); yield 2; }
                case "state" -> { state = text(p, v); yield 4; }
                default -> 0;
            };
        }

        @Override
        Endpoint value() {
            return new Endpoint(technology, resource, state);
        }
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

    private static <T> T notPlain() throws NotPlain {
        throw NotPlain.INSTANCE;
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

    private static Boolean bool(JsonToken t) throws NotPlain {
        return switch (t) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw NotPlain.INSTANCE;
        };
    }
}

package io.outdial.dialer.ari;

import io.outdial.dialer.support.Transcripts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AriEventsTest {

    @Test
    void everyPermittedEventTypeIsRegisteredForJacksonAndParsesByItsSimpleName() {
        for (Class<?> type : AriEvent.class.getPermittedSubclasses()) {
            if (type == AriEvent.Unknown.class) {
                continue;
            }
            AriEvent event = AriEvents.parse("{\"type\":\"" + type.getSimpleName() + "\",\"extra\":1}");
            assertThat(event).as(type.getSimpleName()).isInstanceOf(type);
        }
        assertThat(AriEvent.class.getPermittedSubclasses()).hasSize(22);
    }

    @Test
    void everyEventLineOfEveryTranscriptParsesToAModelledType() {
        Set<String> seen = new TreeSet<>();
        int count = 0;
        for (String name : Transcripts.names()) {
            for (String json : Transcripts.eventJson(name)) {
                AriEvent event = AriEvents.parse(json);
                assertThat(event).as(name + ": " + json).isNotInstanceOf(AriEvent.Unknown.class);
                seen.add(event.getClass().getSimpleName());
                count++;
            }
        }
        assertThat(Transcripts.names()).hasSizeGreaterThanOrEqualTo(29);
        assertThat(count).isGreaterThan(400);
        assertThat(seen).contains("StasisStart", "Dial", "ChannelDestroyed", "PlaybackFinished", "RecordingFinished",
                "ChannelLeftBridge", "ApplicationReplaced");
    }

    @Test
    void endpointStateChangeCarriesTheEndpoint() {
        AriEvent e = AriEvents.parse("{\"type\":\"EndpointStateChange\",\"timestamp\":\"2026-11-23T12:00:00.000+0000\","
                + "\"endpoint\":{\"technology\":\"PJSIP\",\"resource\":\"carrier\",\"state\":\"offline\","
                + "\"channel_ids\":[\"c1\"]},\"application\":\"dialer\",\"asterisk_id\":\"02:fc:00:00:00:01\"}");
        assertThat(e).isInstanceOf(AriEvent.EndpointStateChange.class);
        AriModel.Endpoint ep = ((AriEvent.EndpointStateChange) e).endpoint();
        assertThat(ep.ref()).isEqualTo("PJSIP/carrier");
        assertThat(ep.state()).isEqualTo("offline");
        assertThat(e.channelId()).isNull();
    }

    @Test
    void unknownTypeParsesToUnknownKeepingItsName() {
        AriEvent event = AriEvents.parse("{\"type\":\"TextMessageReceived\",\"message\":{}}");
        assertThat(event).isEqualTo(new AriEvent.Unknown("TextMessageReceived"));
    }

    @Test
    void dialIsRoutedByItsPeerAndPlaybackByItsTarget() {
        AriEvent dial = AriEvents.parse("{\"type\":\"Dial\",\"dialstatus\":\"BUSY\",\"peer\":{\"id\":\"c1\"}}");
        assertThat(dial.channelId()).isEqualTo("c1");
        assertThat(((AriEvent.Dial) dial).dialstatus()).isEqualTo("BUSY");
        AriEvent pb = AriEvents.parse("{\"type\":\"PlaybackFinished\",\"playback\":{\"id\":\"p\","
                + "\"target_uri\":\"channel:c2\",\"state\":\"failed\"}}");
        assertThat(pb.channelId()).isEqualTo("c2");
    }

    @Test
    void stasisStartCarriesAmdArgs() {
        AriEvent event = AriEvents.parse("{\"type\":\"StasisStart\",\"args\":[\"HUMAN\",\"HUMAN-803-800\"],"
                + "\"channel\":{\"id\":\"amd1\",\"state\":\"Up\",\"dialplan\":{\"app_name\":\"Stasis\"}}}");
        assertThat(((AriEvent.StasisStart) event).args()).containsExactly("HUMAN", "HUMAN-803-800");
        assertThat(((AriEvent.StasisStart) event).channel().inStasis()).isTrue();
    }

    @Test
    void transcriptFieldsBindToTheRecords() {
        AriEvent.RecordingFinished rec = Transcripts.eventJson("record.jsonl").stream().map(AriEvents::parse)
                .filter(e -> e instanceof AriEvent.RecordingFinished).map(e -> (AriEvent.RecordingFinished) e)
                .findFirst().orElseThrow();
        assertThat(rec.recording().duration()).isEqualTo(2);
        assertThat(rec.recording().state()).isEqualTo("done");
        assertThat(rec.channelId()).isNotBlank();
        AriEvent.ChannelDestroyed busy = Transcripts.eventJson("102.jsonl").stream().map(AriEvents::parse)
                .filter(e -> e instanceof AriEvent.ChannelDestroyed).map(e -> (AriEvent.ChannelDestroyed) e)
                .filter(e -> e.cause() == 17).findFirst().orElseThrow();
        assertThat(busy.causeTxt()).isEqualTo("User busy");
        assertThat(busy.channel().name()).endsWith(";2");
        AriEvent.ChannelLeftBridge left = Transcripts.eventJson("transfer_bridge.jsonl").stream()
                .map(AriEvents::parse).filter(e -> e instanceof AriEvent.ChannelLeftBridge)
                .map(e -> (AriEvent.ChannelLeftBridge) e).findFirst().orElseThrow();
        assertThat(left.bridge().bridgeType()).isEqualTo("mixing");
        assertThat(left.bridge().channels()).hasSize(1);
    }

    @Test
    void theTypeIsReadWithoutBindingWhereverItStands() {
        assertThat(AriEvents.typeOf("{\"type\":\"Dial\",\"peer\":{\"id\":\"p\"}}")).isEqualTo("Dial");
        assertThat(AriEvents.typeOf("{\"channel\":{\"type\":\"inner\",\"caller\":{}},\"list\":[1,{\"type\":2}],"
                + "\"type\":\"StasisEnd\"}")).isEqualTo("StasisEnd");
        assertThat(AriEvents.typeOf("{\"type\":7}")).isNull();
        assertThat(AriEvents.typeOf("{\"channel\":{}}")).isNull();
        assertThat(AriEvents.typeOf("[\"type\"]")).isNull();
        assertThat(AriEvents.typeOf("not json")).isNull();
        assertThat(AriEvents.typeOf("{\"a\":")).isNull();
        for (String name : Transcripts.names()) {
            for (String json : Transcripts.eventJson(name)) {
                AriEvent event = AriEvents.parse(json);
                String type = AriEvents.typeOf(json);
                assertThat(type).as(json).isEqualTo(event.getClass().getSimpleName());
            }
        }
    }

    @Test
    void anEventReadFromItsUtf8BytesIsTheEventReadFromItsText() {
        int count = 0;
        for (String name : Transcripts.names()) {
            for (String json : Transcripts.eventJson(name)) {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                assertThat(AriEvents.parse(bytes)).as(json).isEqualTo(AriEvents.parse(json));
                assertThat(AriEvents.typeOf(bytes)).as(json).isEqualTo(AriEvents.typeOf(json));
                count++;
            }
        }
        assertThat(count).isGreaterThan(400);
        String named = "{\"type\":\"StasisStart\",\"args\":[],\"channel\":{\"id\":\"c1\",\"caller\":"
                + "{\"name\":\"Прохор Ёлкин\",\"number\":\"+380441234567\"}}}";
        assertThat(AriEvents.parse(named.getBytes(StandardCharsets.UTF_8))).isEqualTo(AriEvents.parse(named));
        assertThat(AriEvents.typeOf("{\"type\":7}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(AriEvents.typeOf("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThatThrownBy(() -> AriEvents.parse("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not json");
    }

    @Test
    void theFieldByFieldReaderBindsWhatTheMapperBinds() {
        int read = 0;
        for (String name : Transcripts.names()) {
            for (String json : Transcripts.eventJson(name)) {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                AriEvent fast = AriEventReader.read(bytes);
                if (AriEvents.ACTED_ON.contains(AriEvents.typeOf(bytes))) {
                    assertThat(fast).as("a call's event is read field by field: " + json).isNotNull();
                }
                if (fast != null) {
                    assertThat(fast).as(json).isEqualTo(AriEvents.bind(bytes));
                    read++;
                }
            }
        }
        assertThat(read).isGreaterThan(200);
        // shapes the transcripts do not show: the reader binds them as the mapper does, or leaves them to it
        List<String> odd = List.of(
            "{\"type\":\"ChannelDestroyed\",\"cause\":null,\"channel\":null}",
            "{\"type\":\"ChannelDestroyed\",\"cause\":\"16\",\"cause_txt\":7,\"channel\":{\"id\":1}}",
            "{\"type\":\"ChannelDestroyed\",\"cause\":3000000000,\"channel\":{}}",
            "{\"type\":\"ChannelDestroyed\",\"cause\":16.0,\"channel\":{}}",
            "{\"channel\":{\"id\":\"c\",\"type\":\"x\"},\"type\":\"ChannelStateChange\",\"extra\":[1,{\"a\":[]}]}",
            "{\"type\":\"ChannelStateChange\",\"channel\":{\"id\":\"a\"},\"channel\":{\"id\":\"b\"}}",
            "{\"type\":\"ChannelStateChange\",\"channel\":[]}",
            "{\"type\":\"StasisStart\",\"args\":[\"a\",null],\"channel\":{\"id\":\"c\"}}",
            "{\"type\":\"StasisStart\",\"args\":\"a\",\"channel\":{\"id\":\"c\"}}",
            "{\"type\":\"StasisStart\",\"channel\":{\"id\":\"c\",\"dialplan\":{\"priority\":null,"
                + "\"app_name\":\"Stasis\"},\"caller\":{\"name\":\"Прохор\",\"number\":null}}}",
            "{\"type\":\"ChannelHangupRequest\",\"soft\":\"yes\",\"channel\":{\"id\":\"c\"}}",
            "{\"type\":\"ChannelHangupRequest\",\"soft\":true,\"cause\":null,\"channel\":{\"id\":\"c\"}}",
            "{\"type\":\"ChannelDtmfReceived\",\"digit\":\"#\",\"duration_ms\":null,\"channel\":{\"id\":\"c\"}}",
            "{\"type\":\"Dial\",\"peer\":{\"id\":\"p\"},\"caller\":null,\"dialstatus\":\"\"}",
            "{\"type\":\"RecordingFinished\",\"recording\":{\"name\":\"r\",\"duration\":null}}",
            "{\"type\":\"PlaybackFinished\",\"playback\":null}",
            "{\"type\":\"EndpointStateChange\",\"endpoint\":{\"technology\":\"PJSIP\",\"channel_ids\":[\"a\"]}}",
            "{\"type\":\"ChannelVarset\",\"variable\":\"X\",\"value\":\"1\"}",
            "{\"type\":\"NoSuchEvent\"}",
            "{\"type\":7}");
        for (String json : odd) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            AriEvent fast = AriEventReader.read(bytes);
            if (fast != null) {
                assertThat(fast).as(json).isEqualTo(AriEvents.bind(bytes));
            }
            Object viaMapper;
            try {
                viaMapper = AriEvents.bind(bytes);
            } catch (IllegalArgumentException e) {
                viaMapper = e.getClass();
            }
            Object viaParse;
            try {
                viaParse = AriEvents.parse(bytes);
            } catch (IllegalArgumentException e) {
                viaParse = e.getClass();
            }
            assertThat(viaParse).as(json).isEqualTo(viaMapper);
        }
        assertThat(AriEventReader.read("{\"type\":\"ChannelDestroyed\",\"cause\":17}".getBytes(
            StandardCharsets.UTF_8))).isEqualTo(new AriEvent.ChannelDestroyed(17, null, null));
        assertThat(AriEventReader.read("{\"type\":\"Dial\",".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void everyTypeActedOnIsModelled() {
        Set<String> modelled = new TreeSet<>();
        for (Class<?> type : AriEvent.class.getPermittedSubclasses()) {
            modelled.add(type.getSimpleName());
        }
        assertThat(modelled).containsAll(AriEvents.ACTED_ON);
        assertThat(AriEvents.ACTED_ON).doesNotContain("Unknown", "ChannelVarset", "ChannelDialplan", "StasisEnd",
                "PlaybackStarted");
        // the records of those types, and only they, count as acted on once parsed
        for (Class<?> type : AriEvent.class.getPermittedSubclasses()) {
            AriEvent sample = AriEvents.parse("{\"type\":\"" + type.getSimpleName() + "\"}");
            assertThat(AriEvents.actedOn(sample)).as(type.getSimpleName())
                    .isEqualTo(AriEvents.ACTED_ON.contains(type.getSimpleName()));
        }
    }

    @Test
    void malformedJsonIsRejectedNamingTheInput() {
        assertThatThrownBy(() -> AriEvents.parse("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not json");
        assertThat(Arrays.stream(AriEvent.class.getPermittedSubclasses()).allMatch(Class::isRecord)).isTrue();
    }
}

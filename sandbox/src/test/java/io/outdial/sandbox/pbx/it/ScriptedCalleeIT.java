package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Called parties on trunk endpoints (PJSIP/number@trunk) follow the script table; one channel, real causes. */
class ScriptedCalleeIT extends ConnectedPbxTestBase {
    @Override
    protected SandboxPbxOptions options() {
        return SandboxPbxOptions.defaults().withTimeScale(20);
    }

    private String originate(String endpoint, Map<String, String> extra) {
        java.util.Map<String, String> params = new java.util.HashMap<>(Map.of("endpoint", endpoint, "app", "dialer"));
        params.putAll(extra);
        return ari.originate(params).getString("id");
    }

    private void awaitDestroyed(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("ChannelDestroyed")));
    }

    @Test
    void busyTrunkNumberPutsCause17OnTheSingleChannel() {
        pbx.scripts().registerNumber("5550001", CalleeScript.busy(Duration.ZERO));
        JsonObject channel = ari.originate(Map.of("endpoint", "PJSIP/5550001@carrier", "app", "dialer"));
        String id = channel.getString("id");
        awaitDestroyed(id);
        assertThat(channel.getString("name")).isEqualTo("PJSIP/carrier-00000000");
        assertThat(ari.summary(id)).containsExactly("Dial:", "ChannelHangupRequest:17", "Dial:BUSY",
            "ChannelDestroyed:17");
        assertThat(ari.events).noneMatch(e -> e.encode().contains(";2"));
    }

    @Test
    void answeringNumberRingsAnswersSendsDigitsAndHangsUp() {
        pbx.scripts().registerNumber("5550002", CalleeScript.answerAfter(Duration.ofSeconds(1))
            .withDigits(Duration.ofSeconds(2), "42").withHangupAfter(Duration.ofSeconds(5)));
        String id = originate("PJSIP/5550002@carrier", Map.of("appArgs", "x"));
        awaitDestroyed(id);
        assertThat(ari.summary(id)).containsExactly("Dial:", "ChannelStateChange:Ringing", "Dial:RINGING",
            "ChannelStateChange:Up", "Dial:ANSWER", "ChannelVarset:STASISSTATUS=", "StasisStart:[\"x\"]",
            "ChannelDtmfReceived:4", "ChannelDtmfReceived:2", "ChannelHangupRequest:16", "StasisEnd:Up",
            "ChannelVarset:STASISSTATUS=SUCCESS", "ChannelDestroyed:16");
    }

    @Test
    void remoteCalleeAnswersThenPressesWhatItIsToldAndHangsUpOnRequest() {
        io.outdial.sandbox.pbx.RemoteCallee remote = new io.outdial.sandbox.pbx.RemoteCallee();
        pbx.scripts().registerNumber("5550010", CalleeScript.remote(remote, Duration.ofSeconds(1)));
        assertThat(remote.press("1")).as("no call yet").isFalse();
        String id = originate("PJSIP/5550010@carrier", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(remote::connected);
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("StasisStart")));
        long answered = pbx.clock().nowMillis();
        // stays on the line by itself, well past a scripted callee's keys
        await().atMost(Duration.ofSeconds(10)).until(() -> pbx.clock().nowMillis() - answered > 20_000);
        assertThat(ari.summary(id)).noneMatch(s -> s.startsWith("ChannelDtmfReceived") || s.startsWith("ChannelDestroyed"));
        assertThat(remote.press("4")).isTrue();
        assertThat(remote.press("2#")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .filter(s -> s.startsWith("ChannelDtmfReceived")).count() == 3);
        assertThat(remote.hangUp()).isTrue();
        awaitDestroyed(id);
        assertThat(ari.summary(id)).containsExactly("Dial:", "ChannelStateChange:Ringing", "Dial:RINGING",
            "ChannelStateChange:Up", "Dial:ANSWER", "ChannelVarset:STASISSTATUS=", "StasisStart:[]",
            "ChannelDtmfReceived:4", "ChannelDtmfReceived:2", "ChannelDtmfReceived:#", "ChannelHangupRequest:16",
            "StasisEnd:Up", "ChannelVarset:STASISSTATUS=SUCCESS", "ChannelDestroyed:16");
        assertThat(remote.connected()).isFalse();
        assertThat(remote.press("1")).as("after the end").isFalse();
        assertThat(remote.hangUp()).isFalse();
        assertThat(pbx.scripts().unregisterNumber("5550010")).isTrue();
        assertThat(pbx.scripts().resolveRegistered("5550010")).isEmpty();
    }

    @Test
    void unansweredNumberIsDestroyedAtTheOriginateTimeoutWithCause19AndNoNoAnswerEvent() {
        pbx.scripts().registerNumber("5550003", CalleeScript.noAnswer());
        String id = originate("PJSIP/5550003@carrier", Map.of("timeout", "3"));
        awaitDestroyed(id);
        assertThat(ari.summary(id)).containsExactly("Dial:", "ChannelStateChange:Ringing", "Dial:RINGING",
            "ChannelDestroyed:19");
    }

    @Test
    void timeoutMinusOneRingsPastTheDefault30Seconds() {
        pbx.scripts().registerNumber("5550009", CalleeScript.noAnswer());
        String id = originate("PJSIP/5550009@carrier", Map.of("timeout", "-1"));
        long start = pbx.clock().nowMillis();
        await().atMost(Duration.ofSeconds(10)).until(() -> pbx.clock().nowMillis() - start > 40_000);
        assertThat(ari.summary(id)).containsExactly("Dial:", "ChannelStateChange:Ringing", "Dial:RINGING");
        assertThat(pbx.liveChannelCount()).isEqualTo(1);
    }

    @Test
    void invalidAndRejectedNumbersCarryCauses1And21() {
        pbx.scripts().registerNumber("5550004", CalleeScript.invalidNumber());
        pbx.scripts().registerNumber("5550005", CalleeScript.rejected(Duration.ZERO));
        String invalid = originate("PJSIP/5550004@carrier", Map.of());
        String rejected = originate("SIP/5550005@carrier", Map.of());
        awaitDestroyed(invalid);
        awaitDestroyed(rejected);
        JsonObject destroyed = ari.eventsOf(invalid).get(ari.eventsOf(invalid).size() - 1);
        assertThat(destroyed.getString("cause_txt")).isEqualTo("Unallocated (unassigned) number");
        assertThat(ari.summary(invalid)).contains("Dial:CHANUNAVAIL", "ChannelDestroyed:1");
        assertThat(ari.summary(rejected)).contains("ChannelDestroyed:21");
    }

    @Test
    void defaultTableChoosesByLastDigit() {
        String busy = originate("PJSIP/+33612345674@carrier", Map.of());
        String invalid = originate("PJSIP/+33612345678@carrier", Map.of());
        awaitDestroyed(busy);
        awaitDestroyed(invalid);
        assertThat(ari.summary(busy)).contains("Dial:BUSY", "ChannelDestroyed:17");
        assertThat(ari.summary(invalid)).contains("ChannelDestroyed:1");
    }

    @Test
    void machineOriginatedIntoDialerAmdEntersStasisWithTheAmdVerdict() {
        pbx.scripts().registerNumber("5550006", CalleeScript.machine(Duration.ofMillis(500)));
        String id = ari.originate(Map.of("endpoint", "PJSIP/5550006@carrier", "context", "dialer-amd",
            "extension", "s", "priority", "1")).getString("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("StasisStart")));
        assertThat(ari.summary(id)).containsExactly("StasisStart:[\"MACHINE\",\"MAXWORDS-3-2\"]");
    }

    @Test
    void registeredScriptAlsoServesUnknownLocalExtensions() {
        pbx.scripts().registerNumber("555", CalleeScript.congestion(Duration.ZERO));
        String id = originate("Local/555@callee", Map.of());
        awaitDestroyed(id);
        assertThat(ari.summary(id)).containsExactly("Dial:", "Dial:CONGESTION", "ChannelDestroyed:0");
    }

    @Test
    void recordingOnATrunkStopsAfterMaxSilenceOnceTheCalleeStopsTalking() {
        pbx.scripts().registerNumber("5550008", CalleeScript.answerAfter(Duration.ZERO).withTalk(Duration.ofSeconds(20)));
        String id = originate("PJSIP/5550008@carrier", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("StasisStart")));
        assertThat(ari.call(HttpMethod.POST, "/channels/" + id + "/record", Map.of("name", "r2", "format", "wav",
            "maxSilenceSeconds", "2", "maxDurationSeconds", "60")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).contains("RecordingFinished:done"));
        // Talk 20 s from the answer (StasisStart), then 2 s of silence: the recording ends 22 s after the answer, not
        // at the talk's end nor at the 60 s cap. Late timers on a busy machine count 20 times over in virtual time
        // (55 ms real made 1.1 s), so only the lower side is tight.
        assertThat(virtualMillis(id, "RecordingFinished") - virtualMillis(id, "StasisStart"))
            .isBetween(21_500L, 30_000L);
    }

    private long virtualMillis(String id, String type) {
        JsonObject event = ari.eventsOf(id).stream().filter(e -> type.equals(e.getString("type"))).findFirst()
            .orElseThrow();
        return java.time.OffsetDateTime.parse(event.getString("timestamp"),
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toInstant().toEpochMilli();
    }

    @Test
    void recordingOnATrunkIsAWavOfTheRecordedTime() {
        pbx.scripts().registerNumber("5550007", CalleeScript.answerAfter(Duration.ZERO));
        String id = originate("PJSIP/5550007@carrier", Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).stream()
            .anyMatch(s -> s.startsWith("StasisStart")));
        HttpResponse<Buffer> started = ari.call(HttpMethod.POST, "/channels/" + id + "/record", Map.of("name", "r1",
            "format", "wav", "maxDurationSeconds", "2"));
        assertThat(started.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> ari.summary(id).contains("RecordingFinished:done"));
        JsonObject finished = ari.eventsOf(id).stream().filter(e -> "RecordingFinished".equals(e.getString("type")))
            .findFirst().orElseThrow();
        assertThat(finished.getJsonObject("recording").getInteger("duration")).isEqualTo(2);
        HttpResponse<Buffer> file = ari.call(HttpMethod.GET, "/recordings/stored/r1/file", Map.of());
        assertThat(file.getHeader("Content-Type")).isEqualTo("audio/wav");
        Buffer wav = file.body();
        assertThat(List.of(wav.getString(0, 4), wav.getString(8, 12))).containsExactly("RIFF", "WAVE");
        assertThat(List.of((int) wav.getShortLE(22), wav.getIntLE(24), (int) wav.getShortLE(34)))
            .containsExactly(1, 8000, 16);
        assertThat(wav.getIntLE(40) / 16000.0).isBetween(1.9, 2.2);
    }
}

package io.outdial.sandbox.pbx.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.sandbox.pbx.CalleeScript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DialplanTest {

    @Test
    void answeringScriptBecomesRingingAnswerTalkDigitsAndHangup() {
        CalleeScript script = CalleeScript.answerAfter(Duration.ofSeconds(2)).withDigits(Duration.ofSeconds(3), "1")
            .withHangupAfter(Duration.ofSeconds(20));
        assertThat(Dialplan.fromScript(script, false).steps()).containsExactly(Step.of("Ringing"),
            Step.of("Wait", "2"), Step.of("Answer"), Step.of("Playback", Sounds.TALK_PREFIX + 800),
            Step.of("Wait", "2.2"), Step.of("SendDTMF", "1"), Step.of("Wait", "16.55"), Step.of("Hangup"));
    }

    @Test
    void busyIsBusyOnLocalChannelsAndAPlainCauseOnTrunks() {
        CalleeScript busy = CalleeScript.busy(Duration.ZERO);
        assertThat(Dialplan.fromScript(busy, true).steps()).containsExactly(Step.of("Busy", "5"));
        assertThat(Dialplan.fromScript(busy, false).steps()).containsExactly(Step.of("Hangup", "17"));
    }

    @Test
    void referenceDialplanKnowsTheCapturedExtensionsOnly() {
        assertThat(Dialplan.callee("100").steps()).hasSize(5);
        assertThat(Dialplan.callee("121").amd()).isEqualTo(CalleeScript.Amd.MACHINE);
        assertThat(Dialplan.callee("999")).isNull();
    }

    @Test
    void wavLengthComesFromTheHeaderAndTheToneIsAValidWav() {
        io.vertx.core.buffer.Buffer wav = Media.WavInfo.tone(2950);
        assertThat(wav.length()).isEqualTo(44 + 2950 * 16);
        assertThat(Media.WavInfo.lengthMillis(wav, "audio/wav", "http://x/a.wav")).isEqualTo(2950);
        assertThat(Media.WavInfo.lengthMillis(io.vertx.core.buffer.Buffer.buffer("junk"), "text/html",
            "http://x/a.mp3")).isEqualTo(-1);
    }

    @Test
    void callerIdIsSplitIntoNameAndNumber() {
        assertThat(Engine.parseCallerId("Dialer <+15551234567>")).containsExactly("Dialer", "+15551234567");
        assertThat(Engine.parseCallerId("\"A B\" <100>")).containsExactly("A B", "100");
        assertThat(Engine.parseCallerId("+15551234567")).containsExactly("", "+15551234567");
    }
}

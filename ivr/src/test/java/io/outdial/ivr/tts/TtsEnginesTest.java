package io.outdial.ivr.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.ivr.support.WavCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TtsEnginesTest {

    @Test
    void freettsKevin16RendersAudibleTelephonyWavOfPlausibleLength() {
        byte[] wav = new FreeTtsEngine().render("Hello, this is a test of the dialer.", "kevin16");
        double seconds = WavCheck.assertTelephonyWav(wav);
        assertThat(seconds).isBetween(1.0, 6.0);
        assertThat(WavCheck.rms(wav)).isGreaterThan(0.01);
    }

    @Test
    void freettsRejectsAnUnknownVoice() {
        assertThatThrownBy(() -> new FreeTtsEngine().render("Hi", "alan"))
                .isInstanceOf(AudioException.class).hasMessageContaining("no voice \"alan\"");
    }

    @ParameterizedTest
    @CsvSource({"ru, Здравствуйте! Это короткий опрос о качестве обслуживания.",
                "uk, Добрий день! Це коротке опитування про якість обслуговування."})
    void espeakNgRendersRussianAndUkrainianAsAudibleTelephonyWav(String voice, String text) {
        EspeakNgEngine engine = EspeakNgEngine.detect().orElseThrow(
                () -> new AssertionError("espeak-ng must be installed for this test (scripts/install-test-deps.sh)"));
        assertThat(engine.voices()).contains("ru", "uk");
        byte[] wav = engine.render(text, voice);
        double seconds = WavCheck.assertTelephonyWav(wav);
        assertThat(seconds).isBetween(1.5, 10.0);
        assertThat(WavCheck.rms(wav)).isGreaterThan(0.01);
    }

    @Test
    void espeakNgDetectionFailsQuietlyForAMissingProgram() {
        assertThat(EspeakNgEngine.detect("no-such-espeak-program", java.time.Duration.ofSeconds(5))).isEmpty();
    }
}

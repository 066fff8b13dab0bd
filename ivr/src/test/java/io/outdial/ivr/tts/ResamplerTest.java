package io.outdial.ivr.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    private static PcmAudio sine(int rate, double freq, double seconds) {
        float[] s = new float[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return new PcmAudio(rate, s);
    }

    @ParameterizedTest
    @CsvSource({"16000", "22050", "44100", "48000", "11025", "44101"})
    void voiceBandToneKeepsItsLevelAndDuration(int rate) {
        PcmAudio out = Resampler.resample(sine(rate, 1000, 1.0), 8000);
        assertThat(out.sampleRate()).isEqualTo(8000);
        assertThat(out.seconds()).isCloseTo(1.0, offset(0.001));
        assertThat(out.rms()).isCloseTo(0.5 / Math.sqrt(2), offset(0.01));
    }

    @ParameterizedTest
    @CsvSource({"16000, 5000", "22050, 7000", "44100, 9000", "44101, 4500"})
    void toneAboveTheNewNyquistIsRemovedNotAliased(int rate, double freq) {
        PcmAudio out = Resampler.resample(sine(rate, freq, 1.0), 8000);
        assertThat(out.rms()).isLessThan(0.01);
    }

    @ParameterizedTest
    @CsvSource({"16000", "44100"})
    void outputFollowsTheInputWaveformSampleBySample(int rate) {
        PcmAudio out = Resampler.resample(sine(rate, 440, 0.5), 8000);
        float[] y = out.samples();
        for (int n = 100; n < y.length - 100; n += 37) {
            double expected = 0.5 * Math.sin(2 * Math.PI * 440 * n / 8000.0);
            assertThat((double) y[n]).as("sample %d", n).isCloseTo(expected, offset(0.01));
        }
    }
}

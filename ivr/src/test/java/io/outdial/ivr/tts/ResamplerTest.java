package io.outdial.ivr.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;
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

    @Test
    void aStreamFedInPiecesOfAnySizeGivesTheSameSamplesAsTheWholeInput() {
        java.util.Random r = new java.util.Random(5);
        for (int[] rates : new int[][] {{44_100, 8000}, {22_050, 8000}, {16_000, 8000}, {8000, 16_000},
            {11_025, 8000}, {47_999, 8000}}) {
            float[] x = new float[30_000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (Math.sin(i * 0.01) * 0.5 + r.nextGaussian() * 0.1);
            }
            float[] whole = Resampler.resample(new PcmAudio(rates[0], x), rates[1]).samples();
            Resampler.Stream stream = new Resampler.Stream(rates[0], rates[1], x.length);
            float[] pieces = new float[(int) stream.outputLength()];
            int[] n = {0};
            int at = 0;
            while (at < x.length) {
                int len = Math.min(x.length - at, 1 + r.nextInt(r.nextBoolean() ? 7 : 5000));
                stream.push(java.util.Arrays.copyOfRange(x, at, at + len), len, v -> pieces[n[0]++] = v);
                at += len;
            }
            stream.finish(v -> pieces[n[0]++] = v);
            assertThat(n[0]).isEqualTo(whole.length);
            assertThat(pieces).as("%d -> %d Hz", rates[0], rates[1])
                .containsExactly(whole);
        }
    }
}

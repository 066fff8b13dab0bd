package io.outdial.ivr.tts;

/**
 * Band-limited sample-rate conversion with a Hann-windowed sinc kernel. When lowering the rate the kernel's
 * cutoff sits at 90% of the new Nyquist frequency, so content above it (which would alias into the voice band)
 * is filtered out rather than folded back. Weights are normalised so DC passes at unity gain, also at the edges.
 *
 * <p>For the usual rates the output positions fall on few distinct fractional phases (16 kHz to 8 kHz: 1;
 * 22.05 kHz: 160; 44.1 kHz: 80), so the kernel weights are computed once per phase instead of once per tap.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side; 8 gives over 40 dB stop-band attenuation at low cost. */
    private static final int ZERO_CROSSINGS = 8;
    /** Above this many phases the table would be large; weights are then computed per tap. */
    private static final int MAX_PHASES = 2048;

    private Resampler() {
    }

    /** The audio at {@code targetRate}; returns the input when the rate already matches. Blocking CPU work. */
    public static PcmAudio resample(PcmAudio in, int targetRate) {
        int inRate = in.sampleRate();
        if (inRate == targetRate) {
            return in;
        }
        float[] x = in.samples();
        double ratio = targetRate / (double) inRate;
        double fc = 0.5 * Math.min(1.0, ratio) * 0.9;
        double halfWidth = ZERO_CROSSINGS / (2 * fc);
        int g = gcd(inRate, targetRate);
        int phases = targetRate / g;
        long step = inRate / g;
        float[][] table = phases <= MAX_PHASES ? table(phases, fc, halfWidth) : null;
        int span = (int) Math.ceil(halfWidth);
        int outLen = (int) Math.floor(x.length * ratio);
        float[] y = new float[outLen];
        for (int n = 0; n < outLen; n++) {
            long num = n * step;
            int base = (int) (num / phases);
            int phase = (int) (num % phases);
            if (table != null && base - span >= 0 && base + span + 1 < x.length) {
                float[] w = table[phase];
                int i0 = base - span;
                double acc = 0;
                for (int k = 0; k < w.length; k++) {
                    acc += x[i0 + k] * w[k];
                }
                y[n] = (float) acc;
            } else {
                y[n] = direct(x, base + phase / (double) phases, fc, halfWidth);
            }
        }
        return new PcmAudio(targetRate, y);
    }

    /** Normalised weights for input offsets -span..span+1 around each phase position. */
    private static float[][] table(int phases, double fc, double halfWidth) {
        int span = (int) Math.ceil(halfWidth);
        float[][] t = new float[phases][2 * span + 2];
        for (int p = 0; p < phases; p++) {
            double frac = p / (double) phases;
            double sum = 0;
            double[] w = new double[2 * span + 2];
            for (int k = 0; k < w.length; k++) {
                w[k] = kernel(frac - (k - span), fc, halfWidth);
                sum += w[k];
            }
            for (int k = 0; k < w.length; k++) {
                t[p][k] = (float) (w[k] / sum);
            }
        }
        return t;
    }

    private static float direct(float[] x, double t, double fc, double halfWidth) {
        int i0 = Math.max(0, (int) Math.ceil(t - halfWidth));
        int i1 = Math.min(x.length - 1, (int) Math.floor(t + halfWidth));
        double acc = 0;
        double wsum = 0;
        for (int i = i0; i <= i1; i++) {
            double w = kernel(t - i, fc, halfWidth);
            acc += x[i] * w;
            wsum += w;
        }
        return wsum == 0 ? 0f : (float) (acc / wsum);
    }

    private static double kernel(double d, double fc, double halfWidth) {
        double u = d / halfWidth;
        if (u <= -1 || u >= 1) {
            return 0;
        }
        double arg = 2 * Math.PI * fc * d;
        double sinc = Math.abs(arg) < 1e-9 ? 1.0 : Math.sin(arg) / arg;
        return sinc * (0.5 + 0.5 * Math.cos(Math.PI * u));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}

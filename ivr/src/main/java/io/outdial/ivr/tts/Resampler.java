package io.outdial.ivr.tts;

/**
 * Band-limited sample-rate conversion with a Hann-windowed sinc kernel. When lowering the rate the kernel's
 * cutoff sits at 90% of the new Nyquist frequency, so content above it (which would alias into the voice band)
 * is filtered out rather than folded back. Weights are normalised so DC passes at unity gain, also at the edges.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side; 8 gives over 40 dB stop-band attenuation at low cost. */
    private static final int ZERO_CROSSINGS = 8;

    private Resampler() {
    }

    /** The audio at {@code targetRate}; returns the input when the rate already matches. Blocking CPU work. */
    public static PcmAudio resample(PcmAudio in, int targetRate) {
        if (in.sampleRate() == targetRate) {
            return in;
        }
        float[] x = in.samples();
        double ratio = targetRate / (double) in.sampleRate();
        double fc = 0.5 * Math.min(1.0, ratio) * 0.9;
        double halfWidth = ZERO_CROSSINGS / (2 * fc);
        int outLen = (int) Math.floor(x.length * ratio);
        float[] y = new float[outLen];
        for (int n = 0; n < outLen; n++) {
            double t = n / ratio;
            int i0 = Math.max(0, (int) Math.ceil(t - halfWidth));
            int i1 = Math.min(x.length - 1, (int) Math.floor(t + halfWidth));
            double acc = 0;
            double wsum = 0;
            for (int i = i0; i <= i1; i++) {
                double d = t - i;
                double w = kernel(d, fc, halfWidth);
                acc += x[i] * w;
                wsum += w;
            }
            y[n] = wsum == 0 ? 0f : (float) (acc / wsum);
        }
        return new PcmAudio(targetRate, y);
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
}

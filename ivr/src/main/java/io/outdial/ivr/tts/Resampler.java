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
        if (in.sampleRate() == targetRate) {
            return in;
        }
        float[] x = in.samples();
        Stream stream = new Stream(in.sampleRate(), targetRate, x.length);
        float[] y = new float[(int) stream.outputLength()];
        int[] n = {0};
        stream.push(x, x.length, v -> y[n[0]++] = v);
        stream.finish(v -> y[n[0]++] = v);
        return new PcmAudio(targetRate, y);
    }

    /** Where a {@link Stream} hands its output samples, in order. */
    @FunctionalInterface
    public interface Sink {
        void accept(float sample);
    }

    /**
     * The same conversion over input that arrives in pieces, holding only the kernel's span of input: the output
     * equals {@link #resample} of the whole input, sample for sample. The input length must be known up front (a WAV
     * data chunk's), since the first and last outputs are weighted by the samples that exist.
     */
    public static final class Stream {
        private final long total;
        private final long outLen;
        private final int phases;
        private final long step;
        private final double fc;
        private final double halfWidth;
        private final int span;
        private final float[][] table;
        private final boolean same;
        private float[] buf = new float[4096];
        private long bufStart; // input index of buf[0]
        private int bufLen;
        private long n; // next output index

        /** @param total how many input samples {@link #push} will be given in all */
        public Stream(int inRate, int targetRate, long total) {
            this.total = total;
            this.same = inRate == targetRate;
            double ratio = targetRate / (double) inRate;
            this.fc = 0.5 * Math.min(1.0, ratio) * 0.9;
            this.halfWidth = ZERO_CROSSINGS / (2 * fc);
            int g = gcd(inRate, targetRate);
            this.phases = targetRate / g;
            this.step = inRate / g;
            this.table = !same && phases <= MAX_PHASES ? table(phases, fc, halfWidth) : null;
            this.span = (int) Math.ceil(halfWidth);
            this.outLen = same ? total : (long) Math.floor(total * ratio);
        }

        /** How many samples the whole output has. */
        public long outputLength() {
            return outLen;
        }

        /** Adds the next {@code len} input samples of {@code x}; hands every output they complete to {@code out}. */
        public void push(float[] x, int len, Sink out) {
            if (same) {
                for (int i = 0; i < len; i++) {
                    out.accept(x[i]);
                }
                n += len;
                return;
            }
            if (bufStart + bufLen + len > total) {
                throw new IllegalStateException("more input than the " + total + " samples announced");
            }
            if (bufLen + len > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + len));
            }
            System.arraycopy(x, 0, buf, bufLen, len);
            bufLen += len;
            drain(out);
        }

        /** Hands the remaining outputs to {@code out}; all the input must have been pushed. */
        public void finish(Sink out) {
            if (!same && bufStart + bufLen != total) {
                throw new IllegalStateException("input ended after " + (bufStart + bufLen) + " of " + total
                        + " samples");
            }
            drain(out);
        }

        private void drain(Sink out) {
            long have = bufStart + bufLen; // inputs 0..have-1 arrived
            while (n < outLen) {
                long num = n * step;
                long base = num / phases;
                int phase = (int) (num % phases);
                if (Math.min(base + span + 1, total - 1) >= have) {
                    break; // needs input not arrived yet
                }
                float y;
                if (table != null && base - span >= 0 && base + span + 1 < total) {
                    float[] w = table[phase];
                    int i0 = (int) (base - span - bufStart);
                    double acc = 0;
                    for (int k = 0; k < w.length; k++) {
                        acc += buf[i0 + k] * w[k];
                    }
                    y = (float) acc;
                } else {
                    y = direct(base + phase / (double) phases);
                }
                out.accept(y);
                n++;
            }
            // inputs below the next output's window are never needed again
            long keepFrom = Math.max(bufStart, Math.min(have, n * step / phases - span - 1));
            int drop = (int) (keepFrom - bufStart);
            if (drop > 0 && drop >= bufLen / 2) {
                System.arraycopy(buf, drop, buf, 0, bufLen - drop);
                bufLen -= drop;
                bufStart = keepFrom;
            }
        }

        private float direct(double t) {
            long i0 = Math.max(0, (long) Math.ceil(t - halfWidth));
            long i1 = Math.min(total - 1, (long) Math.floor(t + halfWidth));
            double acc = 0;
            double wsum = 0;
            for (long i = i0; i <= i1; i++) {
                double w = kernel(t - i, fc, halfWidth);
                acc += buf[(int) (i - bufStart)] * w;
                wsum += w;
            }
            return wsum == 0 ? 0f : (float) (acc / wsum);
        }
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

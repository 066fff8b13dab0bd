package io.outdial.ivr.tts;

/**
 * Mono audio as samples in [-1, 1] at a sample rate. The working form between decoding, resampling and
 * encoding. The array is owned by this object; callers must not change it.
 */
public final class PcmAudio {

    private final int sampleRate;
    private final float[] samples;

    public PcmAudio(int sampleRate, float[] samples) {
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw new IllegalArgumentException("sample rate must be 1000..384000 Hz, was " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.samples = samples;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public float[] samples() {
        return samples;
    }

    /** Length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** Root mean square level, 0 for silence, about 0.7 for a full-scale sine. */
    public double rms() {
        if (samples.length == 0) {
            return 0;
        }
        double sum = 0;
        for (float s : samples) {
            sum += s * (double) s;
        }
        return Math.sqrt(sum / samples.length);
    }
}

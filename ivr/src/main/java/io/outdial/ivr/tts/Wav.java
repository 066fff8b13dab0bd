package io.outdial.ivr.tts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads WAV files (PCM 8/16/24/32-bit, 32/64-bit float, A-law, µ-law, any channel count, WAVE_FORMAT_EXTENSIBLE)
 * into mono {@link PcmAudio}, and writes 16-bit mono PCM WAV. Tolerates a streaming writer's bogus data size
 * (espeak-ng on stdout) by reading to the end of the file.
 */
public final class Wav {

    /** The telephony rate Asterisk plays natively (slin / 8 kHz). */
    public static final int TELEPHONY_RATE = 8000;

    private Wav() {
    }

    /** Decodes a WAV file; {@code name} only appears in error messages. */
    public static PcmAudio decode(byte[] bytes, String name) {
        AudioKind kind = AudioKind.detect(bytes);
        if (kind != AudioKind.WAV) {
            throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT, name + " is " + kind.label()
                    + ", not WAV; upload a WAV file (PCM), for example converted with:"
                    + " sox in.mp3 -r 8000 -c 1 -b 16 out.wav");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos <= bytes.length - 8) {
            String id = new String(bytes, pos, 4, StandardCharsets.US_ASCII);
            long size = buf.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id.equals("fmt ") && size >= 16 && body + 16 <= bytes.length) {
                format = buf.getShort(body) & 0xFFFF;
                channels = buf.getShort(body + 2) & 0xFFFF;
                rate = buf.getInt(body + 4);
                bits = buf.getShort(body + 14) & 0xFFFF;
                if (format == 0xFFFE && size >= 40 && body + 26 <= bytes.length) {
                    format = buf.getShort(body + 24) & 0xFFFF;
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw bad(name, "the data chunk comes before the fmt chunk");
                }
                int len = (int) Math.min(size, bytes.length - body);
                return new PcmAudio(checkRate(rate, name), samples(buf, body, len, format, channels, bits, name));
            }
            // a chunk size past the end of the file (e.g. 0xFFFFFFFF) ends the walk: no int overflow
            long next = body + size + (size & 1);
            if (next > bytes.length) {
                break;
            }
            pos = (int) next;
        }
        throw bad(name, format < 0 ? "no fmt chunk" : "no data chunk");
    }

    private static int checkRate(int rate, String name) {
        if (rate < 1000 || rate > 384_000) {
            throw bad(name, "sample rate " + rate + " Hz is out of range 1000..384000");
        }
        return rate;
    }

    private static float[] samples(ByteBuffer buf, int start, int len, int format, int channels, int bits,
                                   String name) {
        if (channels < 1 || channels > 32) {
            throw bad(name, channels + " channels; expected 1 to 32");
        }
        boolean ok = (format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                || (format == 3 && (bits == 32 || bits == 64)) || ((format == 6 || format == 7) && bits == 8);
        if (!ok) {
            throw bad(name, "encoding " + formatName(format) + " with " + bits
                    + " bits is not supported; expected PCM 8/16/24/32-bit, float, A-law or µ-law");
        }
        int bytesPerSample = bits / 8;
        int frames = len / (bytesPerSample * channels);
        float[] out = new float[frames];
        int p = start;
        for (int f = 0; f < frames; f++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(buf, p, format, bits);
                p += bytesPerSample;
            }
            out[f] = (float) (sum / channels);
        }
        return out;
    }

    private static double sample(ByteBuffer buf, int p, int format, int bits) {
        if (format == 3) {
            return bits == 32 ? buf.getFloat(p) : buf.getDouble(p);
        }
        if (format == 6) {
            return G711.alaw(buf.get(p)) / 32768.0;
        }
        if (format == 7) {
            return G711.ulaw(buf.get(p)) / 32768.0;
        }
        switch (bits) {
            case 8:
                return ((buf.get(p) & 0xFF) - 128) / 128.0;
            case 16:
                return buf.getShort(p) / 32768.0;
            case 24:
                int v = (buf.get(p) & 0xFF) | ((buf.get(p + 1) & 0xFF) << 8) | (buf.get(p + 2) << 16);
                return v / 8388608.0;
            default:
                return buf.getInt(p) / 2147483648.0;
        }
    }

    private static String formatName(int format) {
        switch (format) {
            case 2:
                return "MS ADPCM";
            case 0x11:
                return "IMA ADPCM";
            case 0x31:
                return "GSM 6.10";
            case 0x55:
                return "MP3 in WAV";
            default:
                return "format tag " + format;
        }
    }

    private static AudioException bad(String name, String what) {
        return new AudioException(AudioException.Reason.BAD_WAV, name + " is not a usable WAV file: " + what);
    }

    /** Writes 16-bit mono PCM WAV, clipping samples to [-1, 1]. */
    public static byte[] encode(PcmAudio audio) {
        float[] s = audio.samples();
        int dataLen = s.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(audio.sampleRate()).putInt(audio.sampleRate() * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        for (float v : s) {
            float c = Math.max(-1f, Math.min(1f, v));
            b.putShort((short) Math.round(c * 32767f));
        }
        return b.array();
    }

    /** Any WAV in, 8 kHz 16-bit mono WAV out (band-limited resampling). Blocking CPU work. */
    public static byte[] toTelephony(byte[] wav, String name) {
        return encode(Resampler.resample(decode(wav, name), TELEPHONY_RATE));
    }

    /** Raw 16-bit signed PCM (mono, either byte order) into {@link PcmAudio}. */
    static PcmAudio fromPcm16(byte[] pcm, int rate, boolean bigEndian) {
        ByteBuffer b = ByteBuffer.wrap(pcm).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getShort(i * 2) / 32768f;
        }
        return new PcmAudio(rate, out);
    }

}

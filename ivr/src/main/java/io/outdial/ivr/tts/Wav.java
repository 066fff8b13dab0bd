package io.outdial.ivr.tts;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        try {
            Source src = Source.of(bytes);
            Layout l = layout(src, name);
            float[] out = new float[(int) l.frames()];
            int[] at = {0};
            frames(src, l, (x, len) -> {
                System.arraycopy(x, 0, out, at[0], len);
                at[0] += len;
            });
            return new PcmAudio(l.rate(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // bytes in memory: never
        }
    }

    /** Where a WAV is read from: bytes in memory or a file, read at any position. */
    interface Source {
        long size() throws IOException;

        /** Reads into {@code dst} from {@code pos}; the count read, -1 at the end. */
        int read(long pos, ByteBuffer dst) throws IOException;

        static Source of(byte[] bytes) {
            return new Source() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public int read(long pos, ByteBuffer dst) {
                    if (pos >= bytes.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), bytes.length - pos);
                    dst.put(bytes, (int) pos, n);
                    return n;
                }
            };
        }

        static Source of(FileChannel file) {
            return new Source() {
                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public int read(long pos, ByteBuffer dst) throws IOException {
                    return file.read(dst, pos);
                }
            };
        }
    }

    /** Where a WAV's samples are and how they are encoded; checked supported. */
    record Layout(int format, int channels, int rate, int bits, long dataStart, long dataLength) {
        int blockAlign() {
            return bits / 8 * channels;
        }

        long frames() {
            return dataLength / blockAlign();
        }
    }

    /** Reads up to {@code n} bytes at {@code pos} (fewer at the end of the source), little-endian. */
    private static ByteBuffer readAt(Source src, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && src.read(pos + b.position(), b) > 0) {
            // until full or the end
        }
        return b.flip();
    }

    /** Finds the fmt and data chunks: the walk reads a few bytes per chunk, never the samples. */
    static Layout layout(Source src, String name) throws IOException {
        long length = src.size();
        ByteBuffer head = readAt(src, 0, 16);
        byte[] first = new byte[head.remaining()];
        head.get(first);
        AudioKind kind = AudioKind.detect(first);
        if (kind != AudioKind.WAV) {
            throw new AudioException(AudioException.Reason.UNSUPPORTED_FORMAT, name + " is " + kind.label()
                    + ", not WAV; upload a WAV file (PCM), for example converted with:"
                    + " sox in.mp3 -r 8000 -c 1 -b 16 out.wav");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        long pos = 12;
        while (pos <= length - 8) {
            ByteBuffer chunk = readAt(src, pos, 8);
            byte[] idBytes = new byte[4];
            chunk.get(idBytes);
            String id = new String(idBytes, StandardCharsets.US_ASCII);
            long size = chunk.getInt() & 0xFFFFFFFFL;
            long body = pos + 8;
            if (id.equals("fmt ") && size >= 16 && body + 16 <= length) {
                ByteBuffer fmt = readAt(src, body, 26);
                format = fmt.getShort(0) & 0xFFFF;
                channels = fmt.getShort(2) & 0xFFFF;
                rate = fmt.getInt(4);
                bits = fmt.getShort(14) & 0xFFFF;
                if (format == 0xFFFE && size >= 40 && body + 26 <= length) {
                    format = fmt.getShort(24) & 0xFFFF;
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw bad(name, "the data chunk comes before the fmt chunk");
                }
                checkRate(rate, name);
                checkEncoding(format, channels, bits, name);
                return new Layout(format, channels, rate, bits, body, Math.min(size, length - body));
            }
            // a chunk size past the end of the file (e.g. 0xFFFFFFFF) ends the walk
            long next = body + size + (size & 1);
            if (next > length) {
                break;
            }
            pos = next;
        }
        throw bad(name, format < 0 ? "no fmt chunk" : "no data chunk");
    }

    /** Where {@link #frames} hands the mono samples it decoded, a block at a time. */
    @FunctionalInterface
    interface Frames {
        void accept(float[] samples, int count);
    }

    /** Decodes the samples of {@code l} a block at a time (channels averaged to mono): memory stays one block. */
    static void frames(Source src, Layout l, Frames out) throws IOException {
        int align = l.blockAlign();
        int bytesPerSample = l.bits() / 8;
        int blockFrames = 8192;
        ByteBuffer buf = ByteBuffer.allocate(blockFrames * align).order(ByteOrder.LITTLE_ENDIAN);
        float[] mono = new float[blockFrames];
        long frames = l.frames();
        long done = 0;
        while (done < frames) {
            int count = (int) Math.min(blockFrames, frames - done);
            buf.clear().limit(count * align);
            long pos = l.dataStart() + done * align;
            while (buf.hasRemaining()) {
                if (src.read(pos + buf.position(), buf) < 0) {
                    throw new IOException("the WAV ended early, at byte " + (pos + buf.position()));
                }
            }
            int p = 0;
            for (int f = 0; f < count; f++) {
                double sum = 0;
                for (int c = 0; c < l.channels(); c++) {
                    sum += sample(buf, p, l.format(), l.bits());
                    p += bytesPerSample;
                }
                mono[f] = (float) (sum / l.channels());
            }
            out.accept(mono, count);
            done += count;
        }
    }

    /** What {@link #toTelephony(Source, Path, String)} wrote: its length and the source's rate. */
    public record Converted(double seconds, int sourceSampleRate) { }

    /**
     * Any WAV file in, 8 kHz 16-bit mono WAV file {@code out} written, streaming: read, resampled and written a block
     * at a time, so memory does not grow with the file (band-limited resampling as {@link Resampler}). Blocking.
     *
     * @throws AudioException as {@link #decode}, and {@code BAD_WAV} for a WAV without samples
     */
    public static Converted toTelephony(FileChannel in, Path out, String name) throws IOException {
        return toTelephony(Source.of(in), out, name);
    }

    /** {@link #toTelephony(FileChannel, Path, String)} of bytes in memory. */
    public static Converted toTelephony(byte[] wav, Path out, String name) throws IOException {
        return toTelephony(Source.of(wav), out, name);
    }

    private static Converted toTelephony(Source src, Path out, String name) throws IOException {
        Layout l = layout(src, name);
        if (l.frames() == 0) {
            throw new AudioException(AudioException.Reason.BAD_WAV, name + " contains no audio");
        }
        Resampler.Stream resampler = new Resampler.Stream(l.rate(), TELEPHONY_RATE, l.frames());
        long samples = resampler.outputLength();
        if (samples * 2 > 0xFFFFFFFFL - 36) {
            throw bad(name, "the telephony audio would be over 4 GB");
        }
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 64 * 1024)) {
            file.write(header(TELEPHONY_RATE, (int) (samples * 2)));
            byte[] two = new byte[2];
            Resampler.Sink sink = v -> {
                short q = pcm16(v);
                two[0] = (byte) q;
                two[1] = (byte) (q >> 8);
                try {
                    file.write(two);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            try {
                frames(src, l, (x, count) -> resampler.push(x, count, sink));
                resampler.finish(sink);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new Converted(samples / (double) TELEPHONY_RATE, l.rate());
    }

    private static int checkRate(int rate, String name) {
        if (rate < 1000 || rate > 384_000) {
            throw bad(name, "sample rate " + rate + " Hz is out of range 1000..384000");
        }
        return rate;
    }

    private static void checkEncoding(int format, int channels, int bits, String name) {
        if (channels < 1 || channels > 32) {
            throw bad(name, channels + " channels; expected 1 to 32");
        }
        boolean ok = (format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                || (format == 3 && (bits == 32 || bits == 64)) || ((format == 6 || format == 7) && bits == 8);
        if (!ok) {
            throw bad(name, "encoding " + formatName(format) + " with " + bits
                    + " bits is not supported; expected PCM 8/16/24/32-bit, float, A-law or µ-law");
        }
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
        b.put(header(audio.sampleRate(), dataLen));
        for (float v : s) {
            b.putShort(pcm16(v));
        }
        return b.array();
    }

    /** The 44-byte header of a 16-bit mono PCM WAV of {@code dataLen} bytes. */
    private static byte[] header(int rate, int dataLen) {
        ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        return b.array();
    }

    /** A sample clipped to [-1, 1] as 16-bit PCM. */
    private static short pcm16(float v) {
        float c = Math.max(-1f, Math.min(1f, v));
        return (short) Math.round(c * 32767f);
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

package io.outdial.ivr.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Independent checks of telephony WAV bytes: header fields read by offset, RMS and duration. */
public final class WavCheck {

    private WavCheck() {
    }

    /** Asserts a canonical 44-byte header of 8 kHz 16-bit mono PCM; returns the duration in seconds. */
    public static double assertTelephonyWav(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getShort(20)).as("PCM").isEqualTo((short) 1);
        assertThat(b.getShort(22)).as("channels").isEqualTo((short) 1);
        assertThat(b.getInt(24)).as("sample rate").isEqualTo(8000);
        assertThat(b.getShort(34)).as("bits").isEqualTo((short) 16);
        assertThat(new String(wav, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).as("data size").isEqualTo(wav.length - 44);
        assertThat(b.getInt(4)).as("riff size").isEqualTo(wav.length - 8);
        return (wav.length - 44) / 2 / 8000.0;
    }

    /** RMS of the 16-bit samples after the 44-byte header, in [0, 1]. */
    public static double rms(byte[] wav) {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        int n = (wav.length - 44) / 2;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double s = b.getShort(44 + i * 2) / 32768.0;
            sum += s * s;
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    /** A PCM WAV with a sine tone: any rate, channels and 8/16-bit depth. */
    public static byte[] sineWav(int rate, int channels, int bits, double freq, double seconds) {
        int frames = (int) (rate * seconds);
        int bytesPer = bits / 8;
        int dataLen = frames * channels * bytesPer;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bytesPer)
                .putShort((short) (channels * bytesPer)).putShort((short) bits)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        for (int i = 0; i < frames; i++) {
            double v = 0.5 * Math.sin(2 * Math.PI * freq * i / rate);
            for (int c = 0; c < channels; c++) {
                if (bits == 8) {
                    b.put((byte) (Math.round(v * 127) + 128));
                } else {
                    b.putShort((short) Math.round(v * 32767));
                }
            }
        }
        return b.array();
    }
}

package io.outdial.dialer.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Small WAV files for the prompt upload tests: a 440 Hz sine, 16-bit PCM. */
public final class TestWavs {
    private TestWavs() {
    }

    public static byte[] sineWav(int rate, int channels, double seconds) {
        int frames = (int) (rate * seconds);
        int dataLen = frames * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
            .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
            .putShort((short) channels).putInt(rate).putInt(rate * channels * 2)
            .putShort((short) (channels * 2)).putShort((short) 16)
            .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        for (int i = 0; i < frames; i++) {
            short v = (short) Math.round(16000 * Math.sin(2 * Math.PI * 440 * i / rate));
            for (int c = 0; c < channels; c++) {
                b.putShort(v);
            }
        }
        return b.array();
    }
}

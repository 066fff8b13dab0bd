package io.outdial.ivr.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.ivr.support.WavCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptStoreTest {

    @TempDir
    Path dir;

    @Test
    void stereo44kWavIsConvertedTo8kMono16BitWithTheSameDurationAndLevel() throws Exception {
        byte[] upload = WavCheck.sineWav(44_100, 2, 16, 440, 2.0);
        PromptStore.StoredPrompt p = new PromptStore(dir).store("welcome", upload, "welcome.wav");
        byte[] out = Files.readAllBytes(p.file());
        assertThat(WavCheck.assertTelephonyWav(out)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(WavCheck.rms(out)).isCloseTo(0.5 / Math.sqrt(2), org.assertj.core.data.Offset.offset(0.02));
        assertThat(p.sourceSampleRate()).isEqualTo(44_100);
        assertThat(new PromptStore(dir).file("welcome")).contains(p.file());
    }

    @Test
    void anUploadInAFileIsConvertedBlockByBlockToTheSameBytesAsInMemory() throws Exception {
        // rates with one, 80 and 160 phases, several encodings, and longer than one read block (8192 frames)
        byte[][] uploads = {WavCheck.sineWav(44_100, 2, 16, 440, 1.3), WavCheck.sineWav(22_050, 1, 8, 300, 0.9),
            WavCheck.sineWav(16_000, 3, 24, 1000, 1.1), WavCheck.sineWav(8_000, 1, 16, 700, 2.5),
            WavCheck.sineWav(48_000, 2, 32, 200, 0.7), WavCheck.sineWav(11_025, 1, 16, 500, 0.001)};
        PromptStore store = new PromptStore(dir.resolve("store"));
        for (int i = 0; i < uploads.length; i++) {
            Path file = dir.resolve("up" + i + ".wav");
            Files.write(file, uploads[i]);
            PromptStore.StoredPrompt p = store.store("p" + i, file, "up" + i + ".wav", PromptStore.MAX_UPLOAD_BYTES);
            assertThat(Files.readAllBytes(p.file())).as("upload %d", i)
                    .isEqualTo(Wav.toTelephony(uploads[i], "up" + i + ".wav"));
            assertThat(p.seconds()).isCloseTo(WavCheck.assertTelephonyWav(Files.readAllBytes(p.file())),
                    org.assertj.core.data.Offset.offset(0.001));
        }
    }

    @Test
    void aFileUploadThatIsNotAWavOrHasNoSamplesIsRefusedAndNothingIsStored() throws Exception {
        PromptStore store = new PromptStore(dir.resolve("store"));
        Path mp3 = dir.resolve("song.mp3");
        Files.write(mp3, new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> store.store("x", mp3, "song.mp3", 1 << 20)).hasMessageContaining("is MP3");
        byte[] wav = WavCheck.sineWav(8000, 1, 16, 400, 0.5);
        Path empty = dir.resolve("empty.wav");
        Files.write(empty, java.util.Arrays.copyOf(wav, 44));
        assertThatThrownBy(() -> store.store("x", empty, "empty.wav", 1 << 20)).hasMessageContaining("no audio");
        Path big = dir.resolve("big.wav");
        Files.write(big, wav);
        assertThatThrownBy(() -> store.store("x", big, "big.wav", 1024)).hasMessageContaining("the limit is 1024");
        try (var left = Files.list(dir.resolve("store"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void eightBitUnsignedWavIsAccepted() throws Exception {
        PromptStore.StoredPrompt p = new PromptStore(dir)
                .store("p8", WavCheck.sineWav(11_025, 1, 8, 300, 1.0), "p8.wav");
        assertThat(WavCheck.rms(Files.readAllBytes(p.file()))).isGreaterThan(0.3);
    }

    @Test
    void toneAboveTheNewNyquistIsFilteredOutNotAliased() {
        byte[] out = Wav.toTelephony(WavCheck.sineWav(44_100, 1, 16, 6_000, 1.0), "high.wav");
        assertThat(WavCheck.rms(out)).isLessThan(0.02);
    }

    @Test
    void mp3UploadIsRejectedNamingTheFormat() {
        byte[] mp3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB};
        assertThatThrownBy(() -> new PromptStore(dir).store("x", mp3, "song.mp3"))
                .isInstanceOf(AudioException.class)
                .hasMessageContaining("song.mp3 is MP3, not WAV")
                .satisfies(e -> assertThat(((AudioException) e).reason())
                        .isEqualTo(AudioException.Reason.UNSUPPORTED_FORMAT));
        byte[] frameSync = {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
        assertThatThrownBy(() -> new PromptStore(dir).store("x", frameSync, "raw.mp3")).hasMessageContaining("is MP3");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void oggAndUnknownBytesAreRejectedClearly() {
        assertThatThrownBy(() -> new PromptStore(dir).store("x", "OggS....".getBytes(), "a.ogg"))
                .hasMessageContaining("a.ogg is Ogg (Vorbis/Opus), not WAV");
        assertThatThrownBy(() -> new PromptStore(dir).store("x", "hello world".getBytes(), "a.txt"))
                .hasMessageContaining("is an unknown format");
    }

    @Test
    void wavWithAnUnsupportedEncodingIsRejected() {
        byte[] wav = WavCheck.sineWav(8000, 1, 16, 400, 0.1);
        wav[20] = 0x55;
        assertThatThrownBy(() -> new PromptStore(dir).store("x", wav, "x.wav"))
                .hasMessageContaining("MP3 in WAV").hasMessageContaining("not supported");
    }

    @Test
    void wavWithAHugeChunkSizeIsABadWavNotACrash() {
        byte[] wav = WavCheck.sineWav(8000, 1, 16, 400, 0.1);
        for (int i = 16; i < 20; i++) { // the fmt chunk claims 4 GB
            wav[i] = (byte) 0xFF;
        }
        assertThatThrownBy(() -> new PromptStore(dir).store("x", wav, "huge.wav"))
                .isInstanceOf(AudioException.class)
                .hasMessageContaining("huge.wav is not a usable WAV file")
                .satisfies(e -> assertThat(((AudioException) e).reason()).isEqualTo(AudioException.Reason.BAD_WAV));
    }

    @Test
    void badIdIsRejectedBeforeAnyFileIsWritten() {
        assertThatThrownBy(() -> new PromptStore(dir).store("../etc", WavCheck.sineWav(8000, 1, 16, 400, 0.1), "x.wav"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PromptStore(dir).file("../etc")).isEmpty();
    }
}

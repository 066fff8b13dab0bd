package io.outdial.ivr.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.audio.AudioPlayer;
import java.io.ByteArrayOutputStream;
import java.util.Set;
import javax.sound.sampled.AudioFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FreeTTS with the embedded {@code kevin16} English voice. The voice is loaded once per process, on first use,
 * and shared; FreeTTS voices are not thread-safe, so renders are serialised. FreeTTS speaks at 16 kHz; the
 * output is band-limited down to 8 kHz. Blocking.
 */
public final class FreeTtsEngine implements TtsEngine {

    /** Engine name in flows. */
    public static final String NAME = "freetts";
    /** The one voice. */
    public static final String KEVIN16 = "kevin16";

    private static final Logger LOG = LoggerFactory.getLogger(FreeTtsEngine.class);
    private static final Object LOCK = new Object();
    private static Voice voice;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> voices() {
        return Set.of(KEVIN16);
    }

    @Override
    public byte[] render(String text, String voiceName) {
        if (!KEVIN16.equals(voiceName)) {
            throw new AudioException(AudioException.Reason.UNKNOWN_VOICE, "freetts has no voice \"" + voiceName
                    + "\"; expected kevin16");
        }
        Capture capture = new Capture();
        synchronized (LOCK) {
            Voice v = load();
            v.setAudioPlayer(capture);
            if (!v.speak(text)) {
                throw new AudioException(AudioException.Reason.RENDER_FAILED, "freetts failed to speak: " + text);
            }
        }
        AudioFormat f = capture.format;
        if (f == null || f.getSampleSizeInBits() != 16 || f.getChannels() != 1) {
            throw new AudioException(AudioException.Reason.RENDER_FAILED, "freetts produced unexpected audio " + f);
        }
        PcmAudio pcm = Wav.fromPcm16(capture.bytes.toByteArray(), Math.round(f.getSampleRate()), f.isBigEndian());
        return Wav.encode(Resampler.resample(pcm, Wav.TELEPHONY_RATE));
    }

    private static Voice load() {
        if (voice == null) {
            long t0 = System.nanoTime();
            System.setProperty("freetts.voices", "com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory");
            Voice v = VoiceManager.getInstance().getVoice(KEVIN16);
            if (v == null) {
                throw new AudioException(AudioException.Reason.RENDER_FAILED, "freetts voice kevin16 not found");
            }
            v.allocate();
            voice = v;
            LOG.info("freetts voice kevin16 loaded in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
        return voice;
    }

    /** Collects FreeTTS output in memory instead of sending it to a sound card. */
    private static final class Capture implements AudioPlayer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        AudioFormat format;
        private float volume = 1f;

        @Override
        public void setAudioFormat(AudioFormat f) {
            format = f;
        }

        @Override
        public AudioFormat getAudioFormat() {
            return format;
        }

        @Override
        public void pause() {
        }

        @Override
        public void resume() {
        }

        @Override
        public void reset() {
        }

        @Override
        public boolean drain() {
            return true;
        }

        @Override
        public void begin(int size) {
        }

        @Override
        public boolean end() {
            return true;
        }

        @Override
        public void cancel() {
        }

        @Override
        public void close() {
        }

        @Override
        public float getVolume() {
            return volume;
        }

        @Override
        public void setVolume(float v) {
            volume = v;
        }

        @Override
        public long getTime() {
            return 0;
        }

        @Override
        public void resetTime() {
        }

        @Override
        public void startFirstSampleTimer() {
        }

        @Override
        public boolean write(byte[] audio) {
            return write(audio, 0, audio.length);
        }

        @Override
        public boolean write(byte[] audio, int offset, int size) {
            bytes.write(audio, offset, size);
            return true;
        }

        @Override
        public void showMetrics() {
        }
    }
}

package io.outdial.ivr.spi;

/**
 * One piece of audio to play: text to speak or recorded media.
 *
 * <p>Templates are already resolved when a prompt reaches {@link CallControl}: the text is final.
 */
public sealed interface Prompt permits Prompt.Tts, Prompt.Media {

    /**
     * Text spoken by a TTS engine.
     *
     * @param text   the final text
     * @param engine engine name (e.g. "freetts", "espeak-ng")
     * @param voice  voice name within that engine (e.g. "kevin16", "ru")
     */
    record Tts(String text, String engine, String voice) implements Prompt {
        public Tts {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("TTS text must not be blank");
            }
            if (engine == null || engine.isBlank() || voice == null || voice.isBlank()) {
                throw new IllegalArgumentException("TTS engine and voice must be named");
            }
        }
    }

    /**
     * Recorded media by URI as Asterisk understands it: {@code sound:<name>}, {@code recording:<name>},
     * {@code sound:http://...}, or {@code prompt:<id>} for a prompt uploaded to the dialer.
     */
    record Media(String uri) implements Prompt {
        public Media {
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("media uri must not be blank");
            }
        }
    }
}

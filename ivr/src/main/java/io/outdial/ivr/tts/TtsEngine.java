package io.outdial.ivr.tts;

import java.util.Set;

/**
 * A text-to-speech engine. Every method may block (loading voices, running a program): call it on a worker
 * thread, never on an event loop.
 */
public interface TtsEngine {

    /** Engine name used in flows, e.g. {@code freetts}. */
    String name();

    /** Voice names this engine can speak with. */
    Set<String> voices();

    /**
     * Speaks {@code text} with {@code voice}. Blocking.
     *
     * @return a WAV file: 8 kHz, 16-bit, mono PCM
     * @throws AudioException with {@code UNKNOWN_VOICE} or {@code RENDER_FAILED}
     */
    byte[] render(String text, String voice);
}

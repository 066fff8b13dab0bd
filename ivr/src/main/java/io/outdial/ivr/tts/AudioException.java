package io.outdial.ivr.tts;

/** Audio that cannot be used: a wrong upload format, a broken WAV, or a TTS engine that failed. */
public final class AudioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** Not a WAV file (e.g. MP3, OGG): convert it to WAV first. */
        UNSUPPORTED_FORMAT,
        /** A WAV file that is damaged or uses an encoding other than PCM, float, A-law or µ-law. */
        BAD_WAV,
        /** A TTS engine failed to speak the text. */
        RENDER_FAILED,
        /** An engine or voice that is not in the registry. */
        UNKNOWN_VOICE
    }

    private final Reason reason;

    public AudioException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AudioException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package io.outdial.ivr.flow;

/**
 * A TTS engine and one of its voices, e.g. {@code freetts/kevin16} or {@code espeak-ng/ru}.
 *
 * @param engine engine name as registered in the TTS registry
 * @param voice  voice name within that engine
 */
public record Voice(String engine, String voice) {

    /** The embedded default English voice. */
    public static final Voice DEFAULT = new Voice("freetts", "kevin16");

    public Voice {
        if (engine == null || engine.isBlank() || voice == null || voice.isBlank()) {
            throw new IllegalArgumentException("voice needs an engine and a voice name, was " + engine + "/" + voice);
        }
    }

    @Override
    public String toString() {
        return engine + "/" + voice;
    }
}

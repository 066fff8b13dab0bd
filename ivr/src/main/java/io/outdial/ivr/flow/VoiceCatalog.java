package io.outdial.ivr.flow;

import java.util.Map;
import java.util.Set;

/** The TTS engines and voices a flow may name; the TTS registry is one. */
public interface VoiceCatalog {

    /** Engine name to its voices. */
    Map<String, Set<String>> voices();

    /** True when the engine exists and has the voice. */
    default boolean has(Voice voice) {
        Set<String> vs = voices().get(voice.engine());
        return vs != null && vs.contains(voice.voice());
    }

    /** A fixed catalog (for tests and tools). */
    static VoiceCatalog of(Map<String, Set<String>> voices) {
        Map<String, Set<String>> copy = Map.copyOf(voices);
        return () -> copy;
    }
}

package io.outdial.ivr.tts;

import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.spi.Prompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The TTS engines of this process by name; also the voice catalog the flow validator checks against. */
public final class TtsRegistry implements VoiceCatalog {

    private final Map<String, TtsEngine> engines = new LinkedHashMap<>();
    private final Map<String, Set<String>> voices = new LinkedHashMap<>();

    public TtsRegistry(List<TtsEngine> engines) {
        for (TtsEngine e : engines) {
            if (this.engines.putIfAbsent(e.name(), e) != null) {
                throw new IllegalArgumentException("two TTS engines are named " + e.name());
            }
            voices.put(e.name(), Set.copyOf(e.voices()));
        }
    }

    /** FreeTTS, plus espeak-ng when the program is on PATH. Blocking (probes the program). */
    public static TtsRegistry defaults() {
        List<TtsEngine> list = new ArrayList<>();
        list.add(new FreeTtsEngine());
        EspeakNgEngine.detect().ifPresent(list::add);
        return new TtsRegistry(list);
    }

    @Override
    public Map<String, Set<String>> voices() {
        return voices;
    }

    /** The engine named {@code name}. */
    public Optional<TtsEngine> engine(String name) {
        return Optional.ofNullable(engines.get(name));
    }

    /** Renders a prompt with its engine and voice: 8 kHz 16-bit mono WAV. Blocking. */
    public byte[] render(Prompt.Tts tts) {
        TtsEngine engine = engines.get(tts.engine());
        if (engine == null) {
            throw new AudioException(AudioException.Reason.UNKNOWN_VOICE, "no TTS engine \"" + tts.engine()
                    + "\"; known engines: " + engines.keySet());
        }
        return engine.render(tts.text(), tts.voice());
    }
}

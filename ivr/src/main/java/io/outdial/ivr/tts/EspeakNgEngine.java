package io.outdial.ivr.tts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code espeak-ng} program (Russian, Ukrainian and about 100 other languages), run once per render with
 * {@code --stdout -v <voice>}; its 22 kHz WAV is converted to 8 kHz 16-bit mono. Voices are the language codes
 * of {@code espeak-ng --voices} (e.g. {@code ru}, {@code uk}, {@code en-us}). Blocking.
 */
public final class EspeakNgEngine implements TtsEngine {

    /** Engine name in flows. */
    public static final String NAME = "espeak-ng";

    private static final Logger LOG = LoggerFactory.getLogger(EspeakNgEngine.class);

    private final String program;
    private final Set<String> voices;
    private final Duration timeout;

    private EspeakNgEngine(String program, Set<String> voices, Duration timeout) {
        this.program = program;
        this.voices = Set.copyOf(voices);
        this.timeout = timeout;
    }

    /** The engine when {@code program} runs and lists voices, else empty. Blocking (runs the program). */
    public static Optional<EspeakNgEngine> detect(String program, Duration timeout) {
        try {
            byte[] out = run(List.of(program, "--voices"), null, timeout);
            Set<String> voices = new LinkedHashSet<>();
            String[] lines = new String(out, StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] cols = lines[i].trim().split("\\s+");
                if (cols.length >= 2) {
                    voices.add(cols[1]);
                }
            }
            if (voices.isEmpty()) {
                LOG.warn("{} --voices listed no voices; espeak-ng engine disabled", program);
                return Optional.empty();
            }
            LOG.info("espeak-ng engine enabled with {} voices", voices.size());
            return Optional.of(new EspeakNgEngine(program, voices, timeout));
        } catch (AudioException e) {
            LOG.info("espeak-ng engine not available: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code espeak-ng} from PATH with a 30 s limit per render. */
    public static Optional<EspeakNgEngine> detect() {
        return detect("espeak-ng", Duration.ofSeconds(30));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> voices() {
        return voices;
    }

    @Override
    public byte[] render(String text, String voice) {
        if (!voices.contains(voice)) {
            throw new AudioException(AudioException.Reason.UNKNOWN_VOICE, "espeak-ng has no voice \"" + voice
                    + "\"; see espeak-ng --voices");
        }
        byte[] wav = run(List.of(program, "--stdout", "-v", voice, "-b", "1", "--stdin"),
                text.getBytes(StandardCharsets.UTF_8), timeout);
        return Wav.toTelephony(wav, "espeak-ng output");
    }

    private static byte[] run(List<String> command, byte[] stdin, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AudioException(AudioException.Reason.RENDER_FAILED, "cannot start " + command.get(0) + ": "
                    + e.getMessage(), e);
        }
        // Bounded in time: a hung program is killed so the worker thread is not held forever.
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        });
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new AudioException(AudioException.Reason.RENDER_FAILED, String.join(" ", command)
                        + " failed (exit " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
            }
            return out;
        } catch (IOException e) {
            throw new AudioException(AudioException.Reason.RENDER_FAILED, command.get(0) + " I/O failed: "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AudioException(AudioException.Reason.RENDER_FAILED, command.get(0) + " interrupted", e);
        }
    }
}

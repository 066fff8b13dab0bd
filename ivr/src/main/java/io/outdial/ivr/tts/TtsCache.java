package io.outdial.ivr.tts;

import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.PromptPart;
import io.outdial.ivr.flow.Template;
import io.outdial.ivr.flow.Voice;
import io.outdial.ivr.spi.Prompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rendered TTS audio on disk, one {@code <key>.wav} per (engine, voice, text), where the key is the SHA-256 of
 * the three. Files are written to a temp file and renamed, so a reader never sees half a file and two workers
 * rendering the same text both succeed. All methods do file I/O or rendering and block.
 */
public final class TtsCache {

    private static final Logger LOG = LoggerFactory.getLogger(TtsCache.class);
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;
    private final TtsRegistry registry;

    /** A cache in {@code dir} (created if missing). */
    public TtsCache(Path dir, TtsRegistry registry) {
        this.dir = dir;
        this.registry = registry;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create TTS cache directory " + dir, e);
        }
    }

    /** The cache key of a text: lowercase hex SHA-256 of engine, voice and text. */
    public static String key(String engine, String voice, String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((engine + '\0' + voice + '\0' + text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** The cache key of a prompt. */
    public static String key(Prompt.Tts tts) {
        return key(tts.engine(), tts.voice(), tts.text());
    }

    /**
     * The WAV file of a prompt, rendering it first when not cached. Blocking.
     *
     * @throws AudioException when the engine or voice is unknown or rendering fails
     */
    public Path render(Prompt.Tts tts) {
        String key = key(tts);
        Path file = fileOf(key);
        if (Files.isRegularFile(file)) {
            return file;
        }
        long t0 = System.nanoTime();
        byte[] wav = registry.render(tts);
        try {
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            try {
                Files.write(tmp, wav);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TTS cache file " + file, e);
        }
        LOG.debug("tts {} {}/{} rendered {} bytes in {} ms", key, tts.engine(), tts.voice(), wav.length,
                (System.nanoTime() - t0) / 1_000_000);
        return file;
    }

    /** The cached file of a key, if rendered; empty for keys that are not 64 hex digits. For HTTP serving. */
    public Optional<Path> cachedFile(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return Optional.empty();
        }
        Path file = fileOf(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private Path fileOf(String key) {
        return dir.resolve(key + ".wav");
    }

    /** What {@link #renderAhead} did. */
    public record RenderAheadReport(int rendered, int alreadyCached, List<String> failures) {
        public RenderAheadReport {
            failures = List.copyOf(failures);
        }
    }

    /** Renders every text of the flow that has no template reference (same for every contact). Blocking. */
    public RenderAheadReport renderAhead(Flow flow) {
        int rendered = 0;
        int cached = 0;
        List<String> failures = new ArrayList<>();
        for (Prompt.Tts tts : staticTexts(flow)) {
            if (cachedFile(key(tts)).isPresent()) {
                cached++;
                continue;
            }
            try {
                render(tts);
                rendered++;
            } catch (AudioException | UncheckedIOException e) {
                failures.add(tts.engine() + "/" + tts.voice() + " \"" + tts.text() + "\": " + e.getMessage());
            }
        }
        LOG.info("flow {} v{} render-ahead: {} rendered, {} cached, {} failed", flow.id(), flow.version(), rendered,
                cached, failures.size());
        return new RenderAheadReport(rendered, cached, failures);
    }

    /** The flow's spoken texts without template references, with their effective voices, without repeats. */
    public static List<Prompt.Tts> staticTexts(Flow flow) {
        Set<Prompt.Tts> out = new LinkedHashSet<>();
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.Say) {
                Node.Say s = (Node.Say) n;
                add(out, s.text(), s.voice(), flow.voice());
            } else if (n instanceof Node.Gather) {
                Node.Gather g = (Node.Gather) n;
                addAll(out, g.prompt(), flow.voice());
                addAll(out, g.noInput(), flow.voice());
                addAll(out, g.noMatch(), flow.voice());
            } else if (n instanceof Node.Record) {
                addAll(out, ((Node.Record) n).prompt(), flow.voice());
            } else if (n instanceof Node.Transfer) {
                addAll(out, ((Node.Transfer) n).prompt(), flow.voice());
            }
        }
        return new ArrayList<>(out);
    }

    private static void addAll(Set<Prompt.Tts> out, List<PromptPart> parts, Voice flowVoice) {
        for (PromptPart p : parts) {
            if (p.text() != null) {
                add(out, p.text(), p.voice(), flowVoice);
            }
        }
    }

    private static void add(Set<Prompt.Tts> out, String text, Voice voice, Voice flowVoice) {
        if (text != null && !text.isBlank() && !Template.hasRefs(text)) {
            Voice v = voice != null ? voice : flowVoice;
            out.add(new Prompt.Tts(text, v.engine(), v.voice()));
        }
    }
}

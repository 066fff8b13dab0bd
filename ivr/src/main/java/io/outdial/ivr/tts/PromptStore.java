package io.outdial.ivr.tts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploaded recorded prompts ({@code prompt:<id>} in flows), kept as 8 kHz 16-bit mono WAV files
 * {@code <id>.wav}. Uploads must be WAV (any PCM rate, channel count and bit depth; float, A-law and µ-law too);
 * other formats are rejected with an error naming the detected format. Uploads are converted a block at a time:
 * memory does not grow with their length. Every method blocks (file I/O, CPU).
 */
public final class PromptStore {

    /** Largest upload accepted. */
    public static final int MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(PromptStore.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;

    /** A store in {@code dir} (created if missing). */
    public PromptStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create prompt directory " + dir, e);
        }
    }

    /**
     * A stored prompt.
     *
     * @param id               the prompt id
     * @param file             the converted WAV file
     * @param seconds          duration
     * @param sourceSampleRate the upload's sample rate
     */
    public record StoredPrompt(String id, Path file, double seconds, int sourceSampleRate) { }

    /**
     * Checks and converts an upload and stores it under {@code id}, replacing an older one atomically.
     *
     * @param uploadName the uploaded file name, only used in error messages
     * @throws AudioException {@code UNSUPPORTED_FORMAT} for non-WAV uploads, {@code BAD_WAV} for broken or
     *                        unsupported WAV encodings or an upload without audio
     */
    public StoredPrompt store(String id, byte[] upload, String uploadName) {
        checkId(id);
        if (upload.length > MAX_UPLOAD_BYTES) {
            throw new AudioException(AudioException.Reason.BAD_WAV, uploadName + " is " + upload.length
                    + " bytes; the limit is " + MAX_UPLOAD_BYTES);
        }
        return convert(id, uploadName, tmp -> Wav.toTelephony(upload, tmp, uploadName));
    }

    /**
     * {@link #store(String, byte[], String)} of an upload received into a file (the caller keeps and deletes it):
     * refused when larger than {@code maxBytes}, else read, resampled and written a block at a time, so memory does
     * not grow with the upload.
     */
    public StoredPrompt store(String id, Path upload, String uploadName, long maxBytes) {
        checkId(id);
        try (FileChannel in = FileChannel.open(upload, StandardOpenOption.READ)) {
            long size = in.size();
            long limit = Math.min(maxBytes, MAX_UPLOAD_BYTES);
            if (size > limit) {
                throw new AudioException(AudioException.Reason.BAD_WAV, uploadName + " is " + size
                        + " bytes; the limit is " + limit);
            }
            return convert(id, uploadName, tmp -> Wav.toTelephony(in, tmp, uploadName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload of prompt " + id, e);
        }
    }

    private interface Conversion {
        Wav.Converted into(Path tmp) throws IOException;
    }

    /** Converts into a temporary file of the store, then moves it over {@code <id>.wav} atomically. */
    private StoredPrompt convert(String id, String uploadName, Conversion conversion) {
        Path file = dir.resolve(id + ".wav");
        Wav.Converted c;
        try {
            Path tmp = Files.createTempFile(dir, id, ".tmp");
            try {
                c = conversion.into(tmp);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store prompt " + id + " in " + dir, e);
        }
        LOG.info("prompt {} stored from {} ({} Hz, {} s)", id, uploadName, c.sourceSampleRate(),
                String.format("%.2f", c.seconds()));
        return new StoredPrompt(id, file, c.seconds(), c.sourceSampleRate());
    }

    private static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("prompt id \"" + id
                    + "\" is not valid; expected 1-64 of A-Z a-z 0-9 _ -");
        }
    }

    /** True for a valid prompt id: 1-64 of A-Z a-z 0-9 _ -. */
    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The file of a stored prompt. */
    public Optional<Path> file(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path f = dir.resolve(id + ".wav");
        return Files.isRegularFile(f) ? Optional.of(f) : Optional.empty();
    }

    /** Deletes a prompt; false when there was none. */
    public boolean delete(String id) {
        try {
            return file(id).isPresent() && Files.deleteIfExists(dir.resolve(id + ".wav"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete prompt " + id, e);
        }
    }
}

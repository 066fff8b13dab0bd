package io.outdial.dialer.config;

import java.time.Duration;

/**
 * Where prompts and rendered TTS live and how Asterisk reaches them (config section {@code media}).
 *
 * @param baseUrl  address Asterisk uses to fetch media from this node, e.g. {@code http://10.0.0.5:8080};
 *                 empty: the HTTP listener's address ({@code 127.0.0.1} when it listens on all interfaces)
 * @param dir      directory of the TTS cache ({@code tts/}) and uploaded prompts ({@code prompts/}); empty:
 *                 {@code <database.dataDir>/media}
 * @param soundDir a directory Asterisk shares (same path on both hosts); when set, media lives there and Asterisk
 *                 plays {@code sound:<soundDir>/tts/<key>} instead of fetching over HTTP; empty: serve over HTTP
 * @param maxAge   {@code Cache-Control: max-age} of served media (Asterisk's HTTP media cache needs it)
 * @param maxPromptBytes largest prompt upload ({@code POST /api/v1/prompts/<id>}) in bytes; larger is refused with 413
 */
public record MediaConfig(String baseUrl, String dir, String soundDir, Duration maxAge, long maxPromptBytes) {
    /** Default {@link #maxPromptBytes}: 16 MiB (about 3 minutes of 44.1 kHz stereo, 17 minutes of 8 kHz mono). */
    public static final long DEFAULT_MAX_PROMPT_BYTES = 16L * 1024 * 1024;

    /** With the default prompt upload limit. */
    public MediaConfig(String baseUrl, String dir, String soundDir, Duration maxAge) {
        this(baseUrl, dir, soundDir, maxAge, DEFAULT_MAX_PROMPT_BYTES);
    }

    public MediaConfig {
        if (maxPromptBytes < 1024 || maxPromptBytes > io.outdial.ivr.tts.PromptStore.MAX_UPLOAD_BYTES) {
            throw new IllegalArgumentException("maxPromptBytes " + maxPromptBytes + " must be between 1024 and "
                + io.outdial.ivr.tts.PromptStore.MAX_UPLOAD_BYTES);
        }
        baseUrl = baseUrl == null ? "" : baseUrl.strip();
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        if (!baseUrl.isEmpty() && !baseUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new IllegalArgumentException("baseUrl \"" + baseUrl
                + "\" is not an http(s) URL (expected e.g. http://10.0.0.5:8080)");
        }
        dir = dir == null ? "" : dir.strip();
        soundDir = soundDir == null ? "" : soundDir.strip();
        while (soundDir.length() > 1 && soundDir.endsWith("/")) {
            soundDir = soundDir.substring(0, soundDir.length() - 1);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge " + maxAge + " must be zero or more (e.g. 1h)");
        }
    }

    /** Defaults: HTTP serving at the listener's address, files under the data directory, max-age 1h. */
    public static MediaConfig defaults() {
        return new MediaConfig("", "", "", Duration.ofHours(1), DEFAULT_MAX_PROMPT_BYTES);
    }

    /** This config with an empty {@code dir} replaced by {@code <dataDir>/media}. */
    public MediaConfig withDefaultDir(String dataDir) {
        return dir.isEmpty() ? new MediaConfig(baseUrl, java.nio.file.Path.of(dataDir, "media").toString(), soundDir,
            maxAge, maxPromptBytes) : this;
    }

    /** Whether media goes through a shared sound directory instead of HTTP. */
    public boolean usesSoundDir() {
        return !soundDir.isEmpty();
    }
}

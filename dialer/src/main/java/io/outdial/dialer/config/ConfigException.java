package io.outdial.dialer.config;

/**
 * Configuration that cannot be used. The message names the source (file or environment variable), the
 * key, the bad value and what was expected, e.g. {@code config.yaml: http.port: "abc" is not a number}.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}

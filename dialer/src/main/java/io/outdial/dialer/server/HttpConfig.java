package io.outdial.dialer.server;

/**
 * The HTTP listener (UI, API, {@code /health}, {@code /ready}, {@code /metrics}).
 *
 * @param host interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port TCP port, 0 for any free port
 */
public record HttpConfig(String host, int port) {
    public HttpConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty (expected an interface address such as 0.0.0.0)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 0..65535)");
        }
    }

    /** Defaults: all interfaces, port 8080. */
    public static HttpConfig defaults() {
        return new HttpConfig("0.0.0.0", 8080);
    }
}

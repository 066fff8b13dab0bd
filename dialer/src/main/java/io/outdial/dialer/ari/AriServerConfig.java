package io.outdial.dialer.ari;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one Asterisk server over ARI: the {@code asterisk[]} entries of the configuration
 * ({@code docs/configuration.md}); {@code null} optional values take their defaults.
 *
 * @param name              a short name for logs and health (e.g. "ast1")
 * @param url               Asterisk's HTTP base, e.g. {@code http://127.0.0.1:8088} ({@code /ari} is appended)
 * @param username          ARI user (ari.conf)
 * @param password          ARI password; never logged
 * @param app               the Stasis application name (default {@code outdial}); one events websocket per app,
 *                          unique per dialer node
 * @param maxInFlight       cap on concurrent ARI HTTP requests (default 256); more are queued
 * @param requestTimeout    timeout of one ARI HTTP request
 * @param healthInterval    how often {@code GET /asterisk/info} is polled
 * @param reconnectInitial  bound of the first reconnect delay after the websocket drops; the bound doubles per
 *                          failed try up to reconnectMax and each delay is drawn at random below it (jitter)
 * @param reconnectMax      longest reconnect delay
 */
public record AriServerConfig(String name, String url, String username, String password, String app,
                              Integer maxInFlight, Duration requestTimeout, Duration healthInterval,
                              Duration reconnectInitial, Duration reconnectMax) {
    public AriServerConfig {
        require(name, "name");
        require(url, "url");
        require(username, "username");
        app = app == null || app.isBlank() ? "outdial" : app;
        password = password == null ? "" : password;
        maxInFlight = maxInFlight == null ? 256 : maxInFlight;
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("ari server " + name + ": url \"" + url
                    + "\" is not an http(s)://host:port URL");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("ari server " + name + ": maxInFlight " + maxInFlight + " must be >= 1");
        }
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(10), "requestTimeout");
        healthInterval = positive(healthInterval, Duration.ofSeconds(5), "healthInterval");
        reconnectInitial = positive(reconnectInitial, Duration.ofMillis(200), "reconnectInitial");
        reconnectMax = positive(reconnectMax, Duration.ofSeconds(5), "reconnectMax");
        if (reconnectInitial.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("ari server " + name + ": reconnectInitial " + reconnectInitial
                    + " must be at most 1s (the first retry comes within a second)");
        }
    }

    /** A config with the defaults: 256 in flight, 10 s requests, 5 s health polls, 200 ms..5 s reconnects. */
    public AriServerConfig(String name, String url, String username, String password, String app) {
        this(name, url, username, password, app, 256, null, null, null, null);
    }

    /** The ARI base URL ({@code .../ari}) without a trailing slash. */
    public String ariBase() {
        String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return base.endsWith("/ari") ? base : base + "/ari";
    }

    @Override
    public String toString() {
        return "AriServerConfig[name=" + name + ", url=" + url + ", username=" + username + ", app=" + app + "]";
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("ari server config: " + field + " must not be blank");
        }
    }

    private static Duration positive(Duration value, Duration dflt, String field) {
        if (value == null) {
            return dflt;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("ari server config: " + field + " " + value + " must be positive");
        }
        return value;
    }
}

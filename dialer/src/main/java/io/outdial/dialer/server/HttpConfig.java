package io.outdial.dialer.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP listener (API, {@code /health}, {@code /ready}, {@code /metrics}) and its defences (docs/security.md).
 *
 * @param host           interface to bind, e.g. {@code 127.0.0.1} (the default) or {@code 0.0.0.0}
 * @param port           TCP port, 0 for any free port
 * @param allowedHosts   names the API answers to in the {@code Host} header besides {@code localhost},
 *                       {@code 127.0.0.1}, {@code ::1} and {@code host} (DNS rebinding); {@code *}: any
 * @param corsOrigins    browser origins (e.g. {@code https://ops.example.com}) allowed to call the API from another
 *                       site with CORS; empty: CORS off
 * @param tlsCertificate PEM certificate chain file; with {@code tlsKey}, the listener speaks HTTPS only
 * @param tlsKey         PEM private key file (PKCS#8 or PKCS#1)
 * @param metricsToken   when set, {@code /metrics} needs {@code Authorization: Bearer <metricsToken>}
 * @param sessionTimeout how long a browser login session lasts
 * @param viewersSeePhones whether the viewer role sees whole phone numbers (otherwise all but the last two digits
 *                       are masked)
 */
public record HttpConfig(String host, int port, List<String> allowedHosts, List<String> corsOrigins,
                         String tlsCertificate, String tlsKey, String metricsToken, Duration sessionTimeout,
                         boolean viewersSeePhones) {
    public HttpConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty (expected an interface address such as 127.0.0.1)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 0..65535)");
        }
        allowedHosts = allowedHosts == null ? List.of()
            : allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList();
        corsOrigins = corsOrigins == null ? List.of() : corsOrigins.stream().map(String::trim)
            .filter(o -> !o.isEmpty()).toList();
        for (String o : corsOrigins) {
            if (!o.matches("https?://[^/?#\\s]+")) {
                throw new IllegalArgumentException("corsOrigins: \"" + o + "\" is not an origin (expected"
                    + " scheme://host[:port], e.g. https://ops.example.com)");
            }
        }
        tlsCertificate = blankToNull(tlsCertificate);
        tlsKey = blankToNull(tlsKey);
        metricsToken = blankToNull(metricsToken);
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("tlsCertificate and tlsKey go together (expected both PEM files or"
                + " neither)");
        }
        if (metricsToken != null && metricsToken.length() < 16) {
            throw new IllegalArgumentException("metricsToken is shorter than 16 characters");
        }
        sessionTimeout = sessionTimeout == null ? Duration.ofHours(12) : sessionTimeout;
        if (sessionTimeout.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("sessionTimeout " + sessionTimeout + " is too short (expected >= 1m)");
        }
    }

    /** A listener with the default defences. */
    public HttpConfig(String host, int port) {
        this(host, port, List.of(), List.of(), null, null, null, null, false);
    }

    /** Defaults: loopback only, port 8080. */
    public static HttpConfig defaults() {
        return new HttpConfig("127.0.0.1", 8080);
    }

    /** Whether the listener speaks HTTPS. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    public HttpConfig withAllowedHosts(List<String> hosts) {
        return new HttpConfig(host, port, hosts, corsOrigins, tlsCertificate, tlsKey, metricsToken,
            sessionTimeout, viewersSeePhones);
    }

    public HttpConfig withTls(String certificate, String key) {
        return new HttpConfig(host, port, allowedHosts, corsOrigins, certificate, key, metricsToken,
            sessionTimeout, viewersSeePhones);
    }

    public HttpConfig withMetricsToken(String token) {
        return new HttpConfig(host, port, allowedHosts, corsOrigins, tlsCertificate, tlsKey, token,
            sessionTimeout, viewersSeePhones);
    }

    public HttpConfig withCorsOrigins(List<String> origins) {
        return new HttpConfig(host, port, allowedHosts, origins, tlsCertificate, tlsKey, metricsToken,
            sessionTimeout, viewersSeePhones);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

package io.outdial.dialer.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The syntax of a request's {@code Host} header: {@code name}, {@code name:port}, {@code [IPv6 address]} or
 * {@code [IPv6 address]:port}, where a name is letters, digits and {@code - . _ ~} and a port 0 to 65535. Anything
 * else ({@code [::1].example}, {@code [::1}, {@code [zz]:80}, {@code host:99999}, an empty header) is refused on every
 * route with 400 {@value #MALFORMED}, before the API's Host guard (which answers 403 for a well-formed name that is
 * not this node's). Checked in place, without parsing into objects.
 */
final class HostHeader {
    /** The problem code of a request whose {@code Host} header is missing or no host name. */
    public static final String MALFORMED = "malformed_host";
    private static final int MAX_SHOWN = 200;

    private HostHeader() {
    }

    /**
     * Fails a request whose {@code Host} header is not {@link #wellFormed} (the router's first check) and returns
     * false; true when the header is well formed or absent (vertx-web refuses a missing one itself).
     */
    static boolean refuseMalformed(RoutingContext ctx) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host != null && !wellFormed(host)) {
            ctx.fail(malformed(host));
            return false;
        }
        return true;
    }

    /**
     * Whether the router itself refused the request for its {@code Host} header (before any handler): an HTTP/1.1
     * request without one, or with one vertx-web cannot read; such a request has no authority.
     */
    static boolean refusedByRouter(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        return ctx.statusCode() == 400 && req.version() != HttpVersion.HTTP_1_0 && req.authority() == null;
    }

    /** The 400 answer for {@code host} (null: the header is missing). */
    static ProblemException malformed(String host) {
        return new ProblemException(400, MALFORMED, "the Host header " + shown(host) + " is not a host name (name,"
            + " name:port, [IPv6 address] or [IPv6 address]:port, with a port of 0 to 65535)", "Host");
    }

    /** Whether {@code host} is {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}. */
    public static boolean wellFormed(String host) {
        int n = host.length();
        int end;
        if (n > 0 && host.charAt(0) == '[') {
            end = host.indexOf(']');
            if (end < 2 || !all(host, 1, end, true)) {
                return false;
            }
            end++;
        } else {
            end = host.indexOf(':');
            end = end < 0 ? n : end;
            if (end == 0 || !all(host, 0, end, false)) {
                return false;
            }
        }
        return end == n || (host.charAt(end) == ':' && port(host, end + 1));
    }

    /** Whether {@code from..to} of {@code s} is an IPv6 literal's characters, or a name's. */
    private static boolean all(String s, int from, int to, boolean v6) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = v6 ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                || c == '.'
                : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'
                || c == '_' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} from {@code from} to its end is 1 to 5 digits of at most 65535. */
    private static boolean port(String s, int from) {
        int len = s.length() - from;
        if (len < 1 || len > 5) {
            return false;
        }
        int value = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 65_535;
    }

    private static String shown(String host) {
        if (host == null) {
            return "(missing)";
        }
        StringBuilder b = new StringBuilder(Math.min(host.length(), MAX_SHOWN) + 5).append('"');
        for (int i = 0; i < host.length() && i < MAX_SHOWN; i++) {
            char c = host.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.append(host.length() > MAX_SHOWN ? "...\"" : "\"").toString();
    }
}

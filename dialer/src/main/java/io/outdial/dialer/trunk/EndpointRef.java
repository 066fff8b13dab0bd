package io.outdial.dialer.trunk;

import java.util.Locale;
import java.util.Optional;

/**
 * An ARI endpoint, {@code TECH/resource} (e.g. {@code PJSIP/carrier}): what {@code GET /endpoints/{tech}/{resource}}
 * and the event source {@code endpoint:TECH/resource} name.
 *
 * @param technology channel technology as Asterisk spells it (PJSIP, SIP, IAX2, ...)
 * @param resource   the endpoint name within the technology
 */
public record EndpointRef(String technology, String resource) {
    public EndpointRef {
        if (technology == null || technology.isBlank() || resource == null || resource.isBlank()) {
            throw new IllegalArgumentException("endpoint needs a technology and a resource");
        }
    }

    /**
     * The fixed endpoint of a trunk's dial pattern, or empty when the pattern has none:
     * <ul>
     *   <li>{@code TECH/{number}@peer...} → {@code TECH/peer} (the text after {@code @} up to a {@code /}, {@code :}
     *       or {@code ;});</li>
     *   <li>{@code TECH/peer/...} → {@code TECH/peer} (PJSIP {@code endpoint/uri} and SIP {@code peer/number});</li>
     *   <li>{@code Local/...} (a dialplan hop, not a device) and anything else → empty.</li>
     * </ul>
     */
    public static Optional<EndpointRef> ofPattern(String pattern) {
        if (pattern == null) {
            return Optional.empty();
        }
        int slash = pattern.indexOf('/');
        if (slash <= 0 || slash == pattern.length() - 1) {
            return Optional.empty();
        }
        String tech = pattern.substring(0, slash);
        if ("local".equals(tech.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String rest = pattern.substring(slash + 1);
        String resource;
        if (rest.startsWith("{number}")) {
            int at = rest.indexOf('@');
            if (at < 0) {
                return Optional.empty();
            }
            resource = cut(rest.substring(at + 1));
        } else {
            int next = rest.indexOf('/');
            resource = next < 0 ? null : rest.substring(0, next);
        }
        if (resource == null || resource.isEmpty() || resource.contains("{") || resource.contains("@")) {
            return Optional.empty();
        }
        return Optional.of(new EndpointRef(tech, resource));
    }

    private static String cut(String s) {
        int end = s.length();
        for (char c : new char[] {'/', ':', ';'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return s.substring(0, end);
    }

    /** The ARI event source, {@code endpoint:TECH/resource}. */
    public String eventSource() {
        return "endpoint:" + this;
    }

    @Override
    public String toString() {
        return technology + "/" + resource;
    }
}

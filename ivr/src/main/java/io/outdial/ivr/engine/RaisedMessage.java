package io.outdial.ivr.engine;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An event raised by a {@code message} node. {@link io.outdial.ivr.spi.FlowResult#messages()} holds each as a
 * string: the event name, then the resolved params as a URL query, e.g. {@code send_link?channel=whatsapp}.
 *
 * @param event  event name the cascade scheme links on
 * @param params resolved parameters, in declaration order
 */
public record RaisedMessage(String event, Map<String, String> params) {
    public RaisedMessage {
        if (event == null || event.isBlank() || event.contains("?")) {
            throw new IllegalArgumentException("message event must be a name without '?', was " + event);
        }
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The string form kept in {@code FlowResult.messages}. */
    public String encode() {
        if (params.isEmpty()) {
            return event;
        }
        return event + "?" + params.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    /** Reads the string form back. */
    public static RaisedMessage parse(String encoded) {
        int q = encoded.indexOf('?');
        if (q < 0) {
            return new RaisedMessage(encoded, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : encoded.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return new RaisedMessage(encoded.substring(0, q), params);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

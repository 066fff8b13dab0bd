package io.outdial.fallback.scheme;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in schemes users start from: {@code voice-sms} (unanswered or busy calls get an SMS),
 * {@code voice-key2-sms-link} (a callee who presses 2 gets an SMS with a link), {@code sms-voice} (an SMS,
 * then a call where it was not delivered) and {@code viber-voice-sms} (a Viber message, a call where it was not
 * seen, an SMS where the call was not answered). Each has one voice block, so each runs as a campaign's scheme.
 */
public final class SchemeTemplates {

    /** Names of the built-in templates. */
    public static final List<String> NAMES = List.of("voice-sms", "voice-key2-sms-link", "sms-voice",
        "viber-voice-sms");

    private SchemeTemplates() {
    }

    /** A template's YAML text. */
    public static String text(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown scheme template \"" + name + "\"; expected one of " + NAMES);
        }
        try (InputStream in = SchemeTemplates.class.getResourceAsStream("templates/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every template, read and validated, by name. */
    public static Map<String, SchemeReport> all() {
        Map<String, SchemeReport> out = new LinkedHashMap<>();
        NAMES.forEach(n -> out.put(n, SchemeDocuments.parse(text(n), SchemeDocuments.Format.YAML)));
        return out;
    }
}

package io.outdial.sandbox.pbx.impl;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Lengths of the stock sounds the sandbox knows, in milliseconds (measured on the Asterisk 22 core sounds). */
final class Sounds {

    /** Pseudo sound used for a scripted callee's speech: {@code sandbox/talk-<ms>}. */
    static final String TALK_PREFIX = "sandbox/talk-";

    private final Map<String, Long> lengths = new HashMap<>();

    Sounds(Map<String, Duration> extra) {
        lengths.put("hello-world", 1400L);
        lengths.put("hello", 800L);
        lengths.put("demo-congrats", 30_000L);
        lengths.put("beep", 250L);
        lengths.put("tt-weasels", 2950L);
        lengths.put("tt-monkeys", 3900L);
        lengths.put("vm-intro", 5700L);
        lengths.put("vm-goodbye", 900L);
        lengths.put("goodbye", 700L);
        lengths.put("demo-thanks", 2500L);
        lengths.put("demo-echotest", 8000L);
        lengths.put("please-try-again", 1300L);
        lengths.put("pls-wait-connect-call", 1800L);
        lengths.put("transfer", 800L);
        lengths.put("auth-thankyou", 900L);
        lengths.put("invalid", 1000L);
        lengths.put("conf-onlyperson", 2600L);
        extra.forEach((name, length) -> lengths.put(name, length.toMillis()));
    }

    /** Length of stock sound {@code name}, or -1 when Asterisk would not find the file. */
    long lengthOf(String name) {
        Long known = lengths.get(name);
        if (known != null) {
            return known;
        }
        if (name.startsWith(TALK_PREFIX)) {
            return parse(name.substring(TALK_PREFIX.length()), 1);
        }
        if (name.startsWith("silence/")) {
            return parse(name.substring("silence/".length()), 1000);
        }
        if (name.startsWith("digits/") || name.startsWith("letters/")) {
            return 600;
        }
        return -1;
    }

    private static long parse(String text, long unit) {
        try {
            return Long.parseLong(text) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

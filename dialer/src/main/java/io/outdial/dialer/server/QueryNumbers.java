package io.outdial.dialer.server;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;

/** Whole numbers read from a request's query, refused as {@link InvalidInput} naming the parameter. */
final class QueryNumbers {
    private QueryNumbers() {
    }

    /**
     * The query parameter {@code name}'s value {@code raw} as a number in {@code min..max}; {@code dflt} when it is
     * absent or blank. {@code max} of {@link Long#MAX_VALUE} reads as "no upper bound" in the refusal.
     */
    static long number(String name, String raw, long dflt, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return dflt;
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw InvalidInput.of("query parameter", name, raw, "a whole number", Reason.WRONG_TYPE,
                name + " \"" + raw + "\" is not a whole number");
        }
        if (v < min || v > max) {
            String range = min + ".." + (max == Long.MAX_VALUE ? "" : String.valueOf(max));
            throw InvalidInput.of("query parameter", name, raw, range, Reason.OUT_OF_RANGE,
                name + " " + v + " is out of range (expected " + range + ")");
        }
        return v;
    }
}

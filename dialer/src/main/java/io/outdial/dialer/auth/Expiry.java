package io.outdial.dialer.auth;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** When a token expires, as the API and the command line write it. */
final class Expiry {
    /** A token created without an expiry lasts this long. */
    public static final Duration DEFAULT = Duration.ofDays(90);

    private Expiry() {
    }

    /**
     * {@code 30d}, {@code 12h} (from {@code now}), {@code 2027-01-31} (midnight UTC), {@code 2027-01-31T12:00:00Z},
     * or {@code never} (empty); null or blank: {@link #DEFAULT} from now. Anything else, or a time not after now,
     * is an {@link InvalidInput} naming {@code source}.
     */
    public static Optional<Instant> parse(String text, Instant now, String source) {
        if (text == null || text.isBlank()) {
            return Optional.of(now.plus(DEFAULT));
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("never")) {
            return Optional.empty();
        }
        Instant at;
        try {
            if (t.matches("\\d{1,5}[dD]")) {
                at = now.plus(Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1))));
            } else if (t.matches("\\d{1,6}[hH]")) {
                at = now.plus(Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1))));
            } else if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                at = LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } else {
                at = Instant.parse(t);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            at = null;
        }
        if (at == null) {
            throw InvalidInput.of(source, "expires", text, "30d, 12h, 2027-01-31, 2027-01-31T12:00:00Z or never",
                Reason.INVALID_FORMAT, "expires \"" + text + "\" is not a duration, date or time (expected 30d, 12h,"
                + " 2027-01-31, 2027-01-31T12:00:00Z or never)");
        }
        if (!at.isAfter(now)) {
            throw InvalidInput.of(source, "expires", text, "a time after now", Reason.OUT_OF_RANGE,
                "expires " + at + " is not in the future");
        }
        return Optional.of(at);
    }
}

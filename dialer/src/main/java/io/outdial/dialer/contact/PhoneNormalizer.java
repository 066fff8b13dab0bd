package io.outdial.dialer.contact;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Objects;

/** Normalises phone numbers to E.164 with libphonenumber, reading national numbers in a default region. */
public final class PhoneNormalizer {
    private final PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    private final String defaultRegion;

    /** @param defaultRegion ISO 3166 region for numbers without a country code, e.g. {@code "UA"} */
    public PhoneNormalizer(String defaultRegion) {
        Objects.requireNonNull(defaultRegion, "defaultRegion");
        if (!util.getSupportedRegions().contains(defaultRegion)) {
            throw new IllegalArgumentException("default region \"" + defaultRegion
                    + "\" is not an ISO 3166 region code libphonenumber knows, such as UA or US");
        }
        this.defaultRegion = defaultRegion;
    }

    /** Whether {@code region} is an ISO 3166 region code libphonenumber knows (upper case, e.g. {@code "UA"}). */
    public static boolean knowsRegion(String region) {
        return region != null && PhoneNumberUtil.getInstance().getSupportedRegions().contains(region);
    }

    /** The result: an E.164 number or why the text is not one. */
    public record Result(String e164, String error) {
        public boolean ok() {
            return e164 != null;
        }
    }

    /** Normalises {@code text}; an error says {@code "+1 55" is not a valid number}. */
    public Result normalize(String text) {
        if (text == null || text.isBlank()) {
            return new Result(null, "is empty");
        }
        try {
            PhoneNumber n = util.parse(text.trim(), defaultRegion);
            if (!util.isValidNumber(n)) {
                return new Result(null, "\"" + text.trim() + "\" is not a valid number");
            }
            return new Result(util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164), null);
        } catch (NumberParseException e) {
            return new Result(null, "\"" + text.trim() + "\" is not a phone number (" + e.getMessage() + ")");
        }
    }

    /** The E.164 number or an IllegalArgumentException naming the input. */
    public String require(String text) {
        Result r = normalize(text);
        if (!r.ok()) {
            throw new IllegalArgumentException("phone " + r.error());
        }
        return r.e164();
    }

    /** E.164 as a long (digits after '+'), the key of a {@link NumberSet}. */
    public static long key(String e164) {
        if (e164 == null || e164.length() < 2 || e164.charAt(0) != '+' || e164.length() > 16) {
            throw new IllegalArgumentException("number \"" + e164 + "\" is not E.164 (+ and up to 15 digits)");
        }
        return Long.parseLong(e164, 1, e164.length(), 10);
    }
}

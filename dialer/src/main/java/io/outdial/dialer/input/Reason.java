package io.outdial.dialer.input;

/** Why a value was refused: one code per kind of problem, stable for clients (rendered lower-case). */
public enum Reason {
    /** A required key, parameter or body is absent or empty. */
    MISSING,
    /** A key the format does not define (a typo, or a key of another version). */
    UNKNOWN_KEY,
    /** A key given twice in one mapping. */
    DUPLICATE_KEY,
    /** The document or body is not valid JSON/YAML. */
    SYNTAX,
    /** A value of the wrong type: text where a number was expected, a list where a mapping was expected. */
    WRONG_TYPE,
    /** A number outside its allowed range, or a text or list longer than allowed. */
    OUT_OF_RANGE,
    /** A text that does not read as what it should be: a time zone, a date, a duration, a phone number. */
    INVALID_FORMAT,
    /** A value that is not one of a fixed set (a state, an outcome, a region). */
    NOT_ALLOWED,
    /** A value that breaks a rule of its section, which the message tells (a trunk's caller ids, a calendar span). */
    INVALID_VALUE,
    /** Values that are each fine but do not fit together ({@code flow} and {@code flowId}, ends before it starts). */
    CONFLICT;

    /** The code as clients see it, e.g. {@code out_of_range}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

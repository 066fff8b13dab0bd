package io.outdial.dialer.input;

import java.util.Objects;

/**
 * One refused value of what a person or client sent.
 *
 * @param source   what was read: {@code campaign file /srv/a.yaml}, {@code request body}, {@code query parameter},
 *                 {@code mapping}, {@code config file dialer.yaml}
 * @param path     where in it: {@code $.limits.lines}, {@code $.attempts.rules[2].outcome} in a document; the name
 *                 of a parameter or part ({@code state}, {@code body}); {@code $} for the whole
 * @param value    the value given, as text (cut to 200 characters), or null when it is absent
 * @param expected what would have been accepted, e.g. {@code a whole number 1 or more}; may be null
 * @param reason   the kind of problem
 * @param message  one sentence for a person, naming the input, the bad value and what was expected
 */
public record InputProblem(String source, String path, String value, String expected, Reason reason,
                           String message) {
    private static final int MAX_VALUE = 200;

    public InputProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        if (value != null && value.length() > MAX_VALUE) {
            value = value.substring(0, MAX_VALUE) + "...";
        }
    }

    /**
     * The field as the problem JSON's {@code field} shows it: the key path without its {@code $.} and without list
     * positions ({@code attempts.rules} for {@code $.attempts.rules[2].outcome}), a parameter's name
     * ({@code mapping} for {@code mapping.phones[0]}), null for the whole input.
     */
    public String field() {
        if (path.equals("$")) {
            return null;
        }
        if (path.startsWith("$.")) {
            int list = path.indexOf('[');
            return path.substring(2, list > 0 ? list : path.length());
        }
        // a parameter ("mapping.phones[0]" is inside the parameter mapping)
        int end = path.length();
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i) == '.' || path.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return path.substring(0, end);
    }

    /** This problem with its path under {@code prefix} ({@code $.trunk} + {@code $.maxLines}). */
    public InputProblem under(String prefix) {
        String p = path.equals("$") ? prefix : path.startsWith("$") ? prefix + path.substring(1) : prefix + "." + path;
        return new InputProblem(source, p, value, expected, reason, message);
    }
}

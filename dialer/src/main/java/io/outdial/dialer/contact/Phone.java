package io.outdial.dialer.contact;

import java.util.Objects;

/**
 * One number of a contact.
 *
 * @param label the column it came from, e.g. {@code mobile}
 * @param e164 the number in E.164
 * @param failures consecutive unreached attempts on this number
 * @param invalid true once the network said the number does not exist
 */
public record Phone(String label, String e164, int failures, boolean invalid) {
    public Phone {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(e164, "e164");
        if (label.contains("=") || label.contains("|")) {
            throw new IllegalArgumentException("phone label \"" + label + "\" may not contain '=' or '|'");
        }
        if (failures < 0) {
            throw new IllegalArgumentException("phone " + e164 + " failures " + failures + " is negative");
        }
    }
}

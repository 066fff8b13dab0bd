package io.outdial.dialer.auth;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user or token may do. {@link #ADMIN} may do everything; {@link #DESIGNER} (flows, campaigns, prompts,
 * imports) and {@link #SUPERVISOR} (campaign state moves, reports, stop-lists, telephony) are side by side: neither
 * includes the other; every role includes {@link #VIEWER} (read only, phone numbers masked).
 */
public enum Role {
    VIEWER, SUPERVISOR, DESIGNER, ADMIN;

    /** Whether a principal with this role may use an operation that requires {@code required}. */
    public boolean allows(Role required) {
        return this == ADMIN || required == VIEWER || this == required;
    }

    /** The name used in the API, the OpenAPI document and the command line: {@code admin}, {@code viewer}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), or an {@link InvalidInput} naming {@code field}. */
    public static Role parse(String text, String source, String field) {
        if (text != null) {
            for (Role r : values()) {
                if (r.label().equalsIgnoreCase(text.trim())) {
                    return r;
                }
            }
        }
        String all = Arrays.stream(values()).map(Role::label).collect(Collectors.joining(", "));
        throw InvalidInput.of(source, field, text, "one of: " + all, Reason.INVALID_VALUE,
            field + " \"" + text + "\" is not a role (expected one of: " + all + ")");
    }
}

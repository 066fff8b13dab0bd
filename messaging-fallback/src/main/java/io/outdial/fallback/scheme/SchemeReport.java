package io.outdial.fallback.scheme;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem of one scheme document.
 *
 * @param scheme the scheme as bound, or null when the document could not be bound
 * @param errors every problem, in document order where possible
 */
public record SchemeReport(Scheme scheme, List<SchemeError> errors) {

    public SchemeReport {
        errors = List.copyOf(errors);
    }

    /** True when there is a scheme and no error. Only valid schemes run. */
    public boolean isValid() {
        return scheme != null && errors.isEmpty();
    }

    /** One rendered line per problem. */
    public String render() {
        return errors.stream().map(SchemeError::render).collect(Collectors.joining("\n"));
    }
}

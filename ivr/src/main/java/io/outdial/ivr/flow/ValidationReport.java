package io.outdial.ivr.flow;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every problem of one flow document.
 *
 * @param flow   the flow as read, or null when the document could not be read at all
 * @param errors every error and warning, reading problems first
 */
public record ValidationReport(Flow flow, List<ValidationError> errors) {
    public ValidationReport {
        errors = List.copyOf(errors);
    }

    /** True when there is a flow and no ERROR; warnings allowed. A flow runs only when valid. */
    public boolean isValid() {
        return flow != null && errors.stream().noneMatch(ValidationError::isError);
    }

    /** Errors only, without warnings. */
    public List<ValidationError> errorsOnly() {
        return errors.stream().filter(ValidationError::isError).collect(Collectors.toList());
    }

    /** One rendered line per problem. */
    public String render() {
        return errors.stream().map(ValidationError::render).collect(Collectors.joining("\n"));
    }
}

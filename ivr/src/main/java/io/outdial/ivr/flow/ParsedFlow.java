package io.outdial.ivr.flow;

import java.util.List;

/**
 * The outcome of reading a flow document: the flow as far as it could be read, and the problems found
 * while reading (syntax, duplicate keys, unknown node types or fields, wrong value types).
 *
 * @param flow   the flow, or null when the document is not even a JSON/YAML object
 * @param errors problems found while reading, in document order
 */
public record ParsedFlow(Flow flow, List<ValidationError> errors) {
    public ParsedFlow {
        errors = List.copyOf(errors);
    }
}

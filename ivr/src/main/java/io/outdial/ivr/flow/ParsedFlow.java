package io.outdial.ivr.flow;

import java.util.List;

/**
 * The outcome of reading a flow document: the flow as far as it could be read, and the problems found
 * while reading (syntax, duplicate keys, unknown node types or fields, wrong value types) and by the published
 * JSON Schema ({@code docs/flow.schema.json}).
 *
 * @param flow         the flow, or null when the document is not even a JSON/YAML object
 * @param errors       problems found while reading, in document order
 * @param schemaErrors violations of the JSON Schema; {@link FlowValidator} reports those no other check tells
 */
public record ParsedFlow(Flow flow, List<ValidationError> errors, List<ValidationError> schemaErrors) {
    public ParsedFlow {
        errors = List.copyOf(errors);
        schemaErrors = List.copyOf(schemaErrors);
    }

    /** Without schema violations (a document the schema was not applied to). */
    public ParsedFlow(Flow flow, List<ValidationError> errors) {
        this(flow, errors, List.of());
    }
}

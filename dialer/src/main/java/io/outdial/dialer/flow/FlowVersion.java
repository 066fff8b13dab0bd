package io.outdial.dialer.flow;

import io.outdial.ivr.flow.FlowDocuments;

import java.time.Instant;
import java.util.List;

/**
 * One stored version of a flow document (table {@code flow_version}).
 *
 * @param flowId   the flow id (the store's key; a document whose {@code id} differs is stored invalid)
 * @param version  1, 2, ... in save order; the store's number is the one that runs
 * @param format   JSON or YAML
 * @param document the document text as saved
 * @param valid    whether the validator found no error (only valid versions can be attached to a campaign)
 * @param errors   every validation problem, rendered ({@code SEVERITY path [node id]: message}), warnings too
 * @param savedAt  when this version was saved
 */
record FlowVersion(String flowId, int version, FlowDocuments.Format format, String document, boolean valid,
                          List<String> errors, Instant savedAt) {
    public FlowVersion {
        if (!validId(flowId)) {
            throw new IllegalArgumentException("flow id \"" + flowId
                + "\" is not 1-64 letters, digits, '_', '.' or '-'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("flow " + flowId + ": version " + version + " must be 1 or more");
        }
        if (format == null || document == null || savedAt == null) {
            throw new IllegalArgumentException("flow " + flowId + " v" + version
                + ": format, document and savedAt are required");
        }
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** True for a valid flow id: 1-64 letters, digits, '_', '.' or '-'. */
    static boolean validId(String flowId) {
        return flowId != null && flowId.matches("[A-Za-z0-9_.-]{1,64}");
    }
}

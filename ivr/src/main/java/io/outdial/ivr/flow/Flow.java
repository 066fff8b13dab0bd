package io.outdial.ivr.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed IVR flow document. A flow may be invalid (see {@code FlowValidator}); only a valid flow may run.
 *
 * @param id        stable flow id
 * @param version   version number, 1 or more; editing a flow creates a new version
 * @param name      human name
 * @param voice     default voice of the flow's spoken text
 * @param start     id of the first node
 * @param nodes     nodes by id, in document order
 * @param variables declared variables and their initial values
 */
public record Flow(String id, int version, String name, Voice voice, String start, Map<String, Node> nodes,
                   Map<String, String> variables) {
    public Flow {
        voice = voice == null ? Voice.DEFAULT : voice;
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** The node with this id, or null. */
    public Node node(String nodeId) {
        return nodeId == null ? null : nodes.get(nodeId);
    }
}

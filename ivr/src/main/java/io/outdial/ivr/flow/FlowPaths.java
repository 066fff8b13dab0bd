package io.outdial.ivr.flow;

/** JSON path helpers shared by the reader and the validator. */
final class FlowPaths {

    private FlowPaths() {
    }

    /** {@code $.nodes.<id>} */
    static String node(String nodeId) {
        return "$.nodes." + nodeId;
    }

    /** The node id of a path under {@code $.nodes.<id>}, or null. */
    static String nodeIdOf(String path) {
        if (!path.startsWith("$.nodes.")) {
            return null;
        }
        String rest = path.substring("$.nodes.".length());
        int end = rest.length();
        for (int i = 0; i < rest.length(); i++) {
            if (rest.charAt(i) == '.' || rest.charAt(i) == '[') {
                end = i;
                break;
            }
        }
        return rest.substring(0, end);
    }
}

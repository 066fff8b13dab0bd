package io.outdial.dialer.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.outdial.dialer.input.InputProblem;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * A campaign definition being read ({@link CampaignFile#parse}): its name in messages ({@link #toString()}) and the
 * path of each of its mappings and lists, so that a problem found in a node names where that node is
 * ({@code $.attempts.rules[1]}).
 */
final class DefinitionSource {
    private final String name;
    private final IdentityHashMap<JsonNode, String> paths = new IdentityHashMap<>();

    DefinitionSource(String name, JsonNode root) {
        this.name = name;
        index(root, "$");
    }

    private void index(JsonNode n, String at) {
        if (!n.isContainerNode()) {
            return;
        }
        paths.put(n, at);
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                index(n.get(i), at + "[" + i + "]");
            }
        } else {
            n.properties().forEach(e -> index(e.getValue(), at + "." + e.getKey()));
        }
    }

    String name() {
        return name;
    }

    /** The path of a node of the definition; {@code $} for null or a node of another tree (a copy of the root). */
    String pathOf(JsonNode n) {
        return n == null ? "$" : paths.getOrDefault(n, "$");
    }

    /** A problem with key {@code field} of the mapping {@code parent} (null: the top level). */
    InvalidInput bad(JsonNode parent, String field, String value, String expected, Reason reason, String message) {
        return InvalidInput.of(name, pathOf(parent) + "." + field, value, expected, reason, message);
    }

    /** A problem at {@code path}. */
    InvalidInput at(String path, String value, String expected, Reason reason, String message) {
        return InvalidInput.of(name, path, value, expected, reason, message);
    }

    /** A section whose record refused a value in its constructor; the message tells which. */
    InvalidInput section(String path, String message, Throwable cause) {
        return new InvalidInput(InvalidInput.INVALID_FIELD, List.of(new InputProblem(name, path, null, null,
                Reason.INVALID_VALUE, message)), cause);
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.outdial.dialer.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which role each {@code /api/v1} operation requires, read from the one place that declares it: the
 * {@code x-required-role} of each operation in the OpenAPI document ({@code /api/openapi.json}), which the API also
 * serves. {@code public} marks the few operations open to anyone (the login). An operation without the key stops
 * the node at start-up; a request that matches no operation needs at least a signed-in viewer (then gets 404/405).
 * The request body media types an operation lists are the only ones it accepts (415 otherwise).
 */
final class RoutePolicy {
    /** The OpenAPI extension naming an operation's role. */
    public static final String KEY = "x-required-role";
    public static final String PUBLIC = "public";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch");

    /** One operation: method, OpenAPI path template, required role (empty: public), accepted body types. */
    public record Operation(HttpMethod method, String template, Optional<Role> role, Set<String> bodyTypes,
                            int params) {
        /** Whether {@code contentType} (a header value, parameters allowed) is one this operation takes. */
        public boolean accepts(String contentType) {
            if (bodyTypes.isEmpty() || bodyTypes.contains("*/*")) {
                return true;
            }
            if (contentType == null) {
                return false;
            }
            String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            for (String t : bodyTypes) {
                if (t.equals(type) || (t.endsWith("/*") && type.startsWith(t.substring(0, t.length() - 1)))) {
                    return true;
                }
            }
            return false;
        }

        /** {@code GET /api/v1/campaigns/{id}}. */
        public String name() {
            return method.name() + " " + template;
        }
    }

    private final List<Operation> operations;
    /**
     * The operations' templates by method, as a tree of path segments (a literal child per text, one child for a
     * parameter), so a request walks its path once: nothing allocated, no regular expression (this runs on every
     * request). A node where a template ends holds that operation's index in {@link #operations}.
     */
    private final java.util.Map<HttpMethod, Node> byMethod = new java.util.HashMap<>();

    /** A point in the tree: the segments after it (literal texts and their nodes, and a parameter's node). */
    private static final class Node {
        private String[] literals = new String[0];
        private Node[] children = new Node[0];
        private Node parameter;
        /** The index of the operation whose template ends here, or -1. */
        private int operation = -1;

        Node child(String segment) {
            if (segment == null) {
                if (parameter == null) {
                    parameter = new Node();
                }
                return parameter;
            }
            for (int i = 0; i < literals.length; i++) {
                if (literals[i].equals(segment)) {
                    return children[i];
                }
            }
            literals = java.util.Arrays.copyOf(literals, literals.length + 1);
            children = java.util.Arrays.copyOf(children, children.length + 1);
            literals[literals.length - 1] = segment;
            children[children.length - 1] = new Node();
            return children[children.length - 1];
        }
    }

    private RoutePolicy(List<Operation> operations) {
        this.operations = List.copyOf(operations);
        for (int i = 0; i < this.operations.size(); i++) {
            Operation op = this.operations.get(i);
            Node node = byMethod.computeIfAbsent(op.method(), k -> new Node());
            for (String segment : op.template().substring(1).split("/", -1)) {
                node = node.child(parameter(segment) ? null : segment);
            }
            if (node.operation < 0) {
                node.operation = i;
            }
        }
    }

    /**
     * The lowest index of an operation whose template matches {@code path} from {@code pos} on (at the {@code /}
     * before the next segment, or the end) below {@code node}, or {@code best} when none is lower. Both a literal and
     * the parameter may match a segment: each is followed, so the order of {@link #operations} decides, as it would
     * trying the templates one by one.
     */
    private static int lowest(Node node, String path, int pos, int best) {
        if (pos == path.length()) {
            return node.operation >= 0 && (best < 0 || node.operation < best) ? node.operation : best;
        }
        if (path.charAt(pos) != '/') {
            return best;
        }
        int start = pos + 1;
        int end = path.indexOf('/', start);
        end = end < 0 ? path.length() : end;
        int length = end - start;
        String[] literals = node.literals;
        for (int i = 0; i < literals.length; i++) {
            if (literals[i].length() == length && path.regionMatches(start, literals[i], 0, length)) {
                best = lowest(node.children[i], path, end, best);
                break;
            }
        }
        return node.parameter != null && length > 0 ? lowest(node.parameter, path, end, best) : best;
    }

    private static boolean parameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** The policy of the API's own OpenAPI document. */
    public static RoutePolicy load() {
        try (InputStream in = RoutePolicy.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("resource api/openapi.json is missing from the build");
            }
            return of(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read api/openapi.json: " + e.getMessage(), e);
        }
    }

    /** The policy of an OpenAPI document; fails naming every operation without {@value #KEY}. */
    public static RoutePolicy of(JsonObject openApi) {
        List<Operation> ops = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        JsonObject paths = openApi.getJsonObject("paths", new JsonObject());
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String m : METHODS) {
                JsonObject op = item.getJsonObject(m);
                if (op == null) {
                    continue;
                }
                String roleText = op.getString(KEY);
                if (roleText == null) {
                    missing.add(m.toUpperCase(Locale.ROOT) + " " + path);
                    continue;
                }
                Optional<Role> role = PUBLIC.equals(roleText) ? Optional.empty()
                    : Optional.of(Role.parse(roleText, "api/openapi.json", KEY));
                Set<String> types = Set.of();
                JsonObject body = op.getJsonObject("requestBody");
                if (body != null && body.getJsonObject("content") != null) {
                    types = Set.copyOf(body.getJsonObject("content").fieldNames().stream()
                        .map(t -> t.toLowerCase(Locale.ROOT)).toList());
                }
                int params = (int) java.util.Arrays.stream(path.substring(1).split("/"))
                    .filter(RoutePolicy::parameter).count();
                ops.add(new Operation(HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)), path, role, types, params));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("api/openapi.json: operations without " + KEY + ": " + missing);
        }
        // literal segments win over parameters (/flows/validate before /flows/{id})
        ops.sort(Comparator.comparingInt(Operation::params));
        return new RoutePolicy(ops);
    }

    /** The operation {@code method path} matches, if any. */
    public Optional<Operation> match(HttpMethod method, String path) {
        return Optional.ofNullable(find(method, path));
    }

    /** The operation {@code method path} matches, or null: {@link #match} without the wrapper, for every request. */
    Operation find(HttpMethod method, String path) {
        Node root = byMethod.get(method);
        int found = root == null ? -1 : lowest(root, path, 0, -1);
        return found < 0 ? null : operations.get(found);
    }

    public List<Operation> operations() {
        return operations;
    }
}

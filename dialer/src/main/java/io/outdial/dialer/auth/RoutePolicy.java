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
public final class RoutePolicy {
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
     * The operations by method, then by number of path segments, so a request tries only the few that can match,
     * each compared segment by segment (no regular expression, nothing allocated: this runs on every request).
     */
    private final java.util.Map<HttpMethod, List<List<Candidate>>> byShape = new java.util.HashMap<>();

    /** An operation and its template's segments: the literal text, or null for a parameter. */
    private record Candidate(Operation op, String[] segments) {
        boolean matches(String path) {
            int pos = 0;
            for (String seg : segments) {
                if (pos >= path.length() || path.charAt(pos) != '/') {
                    return false;
                }
                pos++;
                int end = path.indexOf('/', pos);
                end = end < 0 ? path.length() : end;
                if (seg == null ? end == pos
                    : end - pos != seg.length() || !path.regionMatches(pos, seg, 0, seg.length())) {
                    return false;
                }
                pos = end;
            }
            return pos == path.length();
        }
    }

    private RoutePolicy(List<Operation> operations) {
        this.operations = List.copyOf(operations);
        for (Operation op : this.operations) {
            String[] segments = op.template().substring(1).split("/");
            for (int i = 0; i < segments.length; i++) {
                if (parameter(segments[i])) {
                    segments[i] = null;
                }
            }
            List<List<Candidate>> bySegments = byShape.computeIfAbsent(op.method(), k -> new ArrayList<>());
            int n = slashes(op.template());
            while (bySegments.size() <= n) {
                bySegments.add(new ArrayList<>());
            }
            bySegments.get(n).add(new Candidate(op, segments));
        }
    }

    private static boolean parameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    private static int slashes(String path) {
        int segments = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                segments++;
            }
        }
        return segments;
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
        List<List<Candidate>> bySegments = byShape.get(method);
        int n = slashes(path);
        if (bySegments == null || n >= bySegments.size()) {
            return Optional.empty();
        }
        for (Candidate c : bySegments.get(n)) {
            if (c.matches(path)) {
                return Optional.of(c.op());
            }
        }
        return Optional.empty();
    }

    public List<Operation> operations() {
        return operations;
    }
}

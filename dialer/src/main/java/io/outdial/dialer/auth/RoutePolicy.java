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
import java.util.regex.Pattern;

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
                            Pattern pattern, int params) {
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
    /** The operations by method and number of path segments, so a request tries only the few that can match. */
    private final java.util.Map<String, List<Operation>> byShape = new java.util.HashMap<>();

    private RoutePolicy(List<Operation> operations) {
        this.operations = List.copyOf(operations);
        for (Operation op : this.operations) {
            byShape.computeIfAbsent(shape(op.method(), op.template()), k -> new ArrayList<>()).add(op);
        }
    }

    private static String shape(HttpMethod method, String path) {
        int segments = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                segments++;
            }
        }
        return method.name() + segments;
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
                int params = 0;
                StringBuilder re = new StringBuilder();
                for (String seg : path.substring(1).split("/")) {
                    re.append('/');
                    if (seg.startsWith("{") && seg.endsWith("}")) {
                        re.append("[^/]+");
                        params++;
                    } else {
                        re.append(Pattern.quote(seg));
                    }
                }
                ops.add(new Operation(HttpMethod.valueOf(m.toUpperCase(Locale.ROOT)), path, role, types,
                    Pattern.compile(re.toString()), params));
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
        for (Operation op : byShape.getOrDefault(shape(method, path), List.of())) {
            if (op.pattern().matcher(path).matches()) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }

    public List<Operation> operations() {
        return operations;
    }
}

package io.outdial.dialer.ready;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of every registered dependency, in registration order, as served by {@code /ready}.
 *
 * @param status       {@code UP}, {@code DOWN}, {@code STARTING} or {@code DRAINING}
 * @param dependencies one entry per registered check
 */
record ReadinessReport(String status, List<Dependency> dependencies) {
    public ReadinessReport {
        Objects.requireNonNull(status, "status");
        dependencies = List.copyOf(dependencies);
    }

    /** Whether the node takes work: HTTP 200 from {@code /ready} when true, 503 otherwise. */
    public boolean ready() {
        return "UP".equals(status);
    }

    /** The JSON body of {@code /ready}: {@code {"status":..,"dependencies":[{"name","state","detail"}..]}}. */
    public JsonObject toJson() {
        JsonArray deps = new JsonArray();
        for (Dependency d : dependencies) {
            deps.add(new JsonObject()
                .put("name", d.name())
                .put("state", d.status().state().name())
                .put("detail", io.outdial.dialer.secret.Secrets.maskUrls(d.status().detail())));
        }
        return new JsonObject().put("status", status).put("dependencies", deps);
    }

    /**
     * One dependency in the report.
     *
     * @param name   the registered name, e.g. {@code database}, {@code cluster}, {@code asterisk:pbx1}
     * @param status its status
     */
    public record Dependency(String name, DependencyStatus status) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
        }
    }
}

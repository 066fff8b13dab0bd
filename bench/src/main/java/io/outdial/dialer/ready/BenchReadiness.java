package io.outdial.dialer.ready;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lets the benchmarks build and render the package-private {@link ReadinessReport}: this class exists so that
 * benchmarks can reach the package's internals the way its tests do.
 */
public final class BenchReadiness {
    private BenchReadiness() {
    }

    /**
     * A finished report of {@code dependencies} (in the map's order) with the overall {@code status}, as its
     * renderer: each call builds the JSON tree of {@code /ready} ({@link ReadinessReport#toJson()}).
     */
    public static Supplier<JsonObject> finished(String status, Map<String, DependencyStatus> dependencies) {
        List<ReadinessReport.Dependency> deps = new ArrayList<>(dependencies.size());
        dependencies.forEach((name, s) -> deps.add(new ReadinessReport.Dependency(name, s)));
        return new ReadinessReport(status, deps)::toJson;
    }

    /** The work of {@code /ready}: run every check through Futures, summarise and render (checks done at once). */
    public static JsonObject checkAndRender(Readiness readiness) {
        return readiness.report().result().toJson();
    }
}

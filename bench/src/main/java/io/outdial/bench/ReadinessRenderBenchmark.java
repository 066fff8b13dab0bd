package io.outdial.bench;

import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.ready.Readiness;
import io.outdial.dialer.ready.BenchReadiness;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Cost of answering {@code /ready} (minus the network): running every registered check and rendering the JSON
 * body, for a node with {@code dependencies} entries (database, cluster, Asterisk servers, gateways).
 * {@link #baseline()} encodes a pre-built JSON object of the same shape, the floor any rendering must pay.
 */
public class ReadinessRenderBenchmark extends BenchmarkBase {
    @Param({"4", "16"})
    public int dependencies;

    private Readiness readiness;
    private Supplier<JsonObject> report;
    private JsonObject prebuilt;

    @Setup
    public void setUp() {
        readiness = new Readiness(Duration.ofSeconds(3));
        readiness.phase(Readiness.Phase.RUNNING);
        Map<String, DependencyStatus> deps = new LinkedHashMap<>();
        for (int i = 0; i < dependencies; i++) {
            DependencyStatus status = DependencyStatus.up("asterisk pbx" + i + " 22.5.0, 3 ms");
            readiness.register("asterisk:pbx" + i, () -> Future.succeededFuture(status));
            deps.put("asterisk:pbx" + i, status);
        }
        report = BenchReadiness.finished("UP", deps);
        JsonArray array = new JsonArray();
        deps.forEach((name, status) -> array.add(new JsonObject().put("name", name).put("state", "UP")
            .put("detail", status.detail())));
        prebuilt = new JsonObject().put("status", "UP").put("dependencies", array);
    }

    /** Encoding an already-built JSON object of the same size. */
    @Benchmark
    public String baseline() {
        return prebuilt.encode();
    }

    /** Rendering a finished report: build the JSON tree and encode it. */
    @Benchmark
    public String renderReport() {
        return report.get().encode();
    }

    /** The whole {@code /ready} work: run every check through Futures, summarise, render. */
    @Benchmark
    public String checkAndRender() {
        return BenchReadiness.checkAndRender(readiness).encode();
    }
}

package io.outdial.bench.api;

import io.outdial.bench.BenchmarkBase;
import io.outdial.dialer.auth.ApiSecurity;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the API's guard adds to a request: one GET over loopback HTTP, answered by the same small JSON handler,
 * {@code baseline} on a route without the guard and {@code tokenChecked} through {@link ApiSecurity} with a valid
 * {@code Authorization: Bearer} token (Host check, operation look-up, SHA-256 of the token, cache hit, role check;
 * the cache asks the database once per {@link ApiSecurity#CACHE_TTL}). Wall time per request; on a loaded machine
 * prefer {@link TokenCheckLoad}, which counts CPU time.
 */
public class TokenCheckBenchmark extends BenchmarkBase {
    private GuardedServer server;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new GuardedServer("tokenbench");
    }

    @Benchmark
    public Buffer baseline() throws Exception {
        return server.get(server.open);
    }

    @Benchmark
    public Buffer tokenChecked() throws Exception {
        return server.get(server.guarded);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        server.close();
    }
}

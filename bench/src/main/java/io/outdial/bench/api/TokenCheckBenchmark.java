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
 * the cache asks the database once per {@link ApiSecurity#CACHE_TTL}). Client and server in this JVM; wall time per
 * request. On a loaded machine prefer {@link TokenCheckLoad}, which counts the server's CPU time.
 */
public class TokenCheckBenchmark extends BenchmarkBase {
    private GuardedServer server;
    private GuardedClient client;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new GuardedServer("tokenbench");
        client = new GuardedClient(server.port(), server.apiPort(), server.token);
    }

    @Benchmark
    public Buffer baseline() throws Exception {
        return client.get(GuardedClient.Route.OPEN);
    }

    @Benchmark
    public Buffer tokenChecked() throws Exception {
        return client.get(GuardedClient.Route.GUARDED);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        server.close();
    }
}

package io.outdial.bench.fullstack;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A dialer node as a user runs it: {@code java -jar dialer.jar serve} (or, when no jar is given, the same
 * {@link io.outdial.dialer.cli.Main} from the harness's class path) in its own process, configured by {@code DIALER_*}
 * variables (HTTP on loopback, its Asterisk the sandbox PBX process, one trunk, the database), driven through its
 * HTTP API. Its CPU is read from {@code /proc/<pid>/stat}.
 */
final class DialerProcess implements AutoCloseable {
    static final String APP = "bench-dialer";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final String token;
    private final Map<String, String> extra;

    /**
     * Starts the node and waits until {@code /ready} answers 200.
     *
     * @param jar      the dialer jar, or null for the harness's class path
     * @param dir      working directory (H2 data, TTS cache, the log {@code dialer-<name>.log})
     * @param database JDBC URL of PostgreSQL (user {@code postgres}), or null for embedded H2 in {@code dir}
     * @param maxLines the node's and the trunk's line limit
     * @param jvmArgs  extra JVM options (e.g. a JFR recording)
     */
    DialerProcess(String name, Path jar, Path dir, int pbxPort, String database, int maxLines, List<String> jvmArgs)
        throws IOException {
        this(name, jar, dir, pbxPort, database, maxLines, jvmArgs, Map.of());
    }

    /**
     * As above, with {@code extra} {@code DIALER_*} variables set over the defaults (e.g. a cluster's members and a
     * node's own ARI application); the API token is named {@code bench-<name>}, so nodes can share a database.
     */
    DialerProcess(String name, Path jar, Path dir, int pbxPort, String database, int maxLines, List<String> jvmArgs,
                  Map<String, String> extra) throws IOException {
        this.port = Postgres.freePort();
        this.extra = Map.copyOf(extra);
        this.log = dir.resolve("dialer-" + name + ".log");
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx512m"));
        if (jar != null) {
            launcher.addAll(List.of("-jar", jar.toString()));
        } else {
            launcher.addAll(List.of("-cp", System.getProperty("java.class.path"), io.outdial.dialer.cli.Main.class.getName()));
        }
        // the API needs a token: made as an admin would, before the node runs (the embedded H2 is locked then)
        List<String> tokenCmd = new ArrayList<>(launcher);
        tokenCmd.addAll(List.of("token", "create", extra.isEmpty() ? "bench" : "bench-" + name, "--role", "admin"));
        ProcessBuilder tb = new ProcessBuilder(tokenCmd).directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        tb.environment().keySet().removeIf(k -> k.startsWith("DIALER_"));
        tb.environment().putAll(env(name, dir, pbxPort, database, maxLines));
        Process tp = tb.start();
        String printed = new String(tp.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (!tp.waitFor(120, TimeUnit.SECONDS) || tp.exitValue() != 0 || !printed.contains("odt_")) {
                throw new IllegalStateException("token create failed; log:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        // a line of its own (the log may share standard output)
        this.token = printed.lines().map(String::trim).filter(l -> l.startsWith("odt_")).findFirst().orElseThrow();
        List<String> cmd = new ArrayList<>(launcher.subList(0, 2));
        cmd.addAll(jvmArgs);
        cmd.addAll(launcher.subList(2, launcher.size()));
        cmd.add("serve");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("DIALER_"));
        pb.environment().putAll(env(name, dir, pbxPort, database, maxLines));
        process = pb.start();
        // a harness stopped half-way (Ctrl-C) takes its dialer with it
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "dialer-" + name + "-stop"));
        awaitReady();
    }

    private Map<String, String> env(String name, Path dir, int pbxPort, String database, int maxLines) {
        Map<String, String> env = new HashMap<>(Map.of(
            "DIALER_HTTP_HOST", "127.0.0.1",
            "DIALER_HTTP_PORT", Integer.toString(port),
            "DIALER_CLUSTER_PORT", Integer.toString(Postgres.freePort()),
            "DIALER_CLUSTER_NAME", "outdial-bench-" + name + "-" + port,
            "DIALER_DATABASE_DATA_DIR", dir.resolve("data-" + name).toString(),
            "DIALER_DIALING_MAX_LINES", Integer.toString(maxLines),
            "DIALER_ASTERISK", "[{\"name\":\"pbx\",\"url\":\"http://127.0.0.1:" + pbxPort + "\",\"username\":\""
                + FullStackPbx.USER + "\",\"password\":\"" + FullStackPbx.PASSWORD + "\",\"app\":\"" + APP + "\"}]",
            "DIALER_TRUNKS", "[{\"name\":\"carrier\",\"endpointPattern\":\"PJSIP/{number}@carrier\","
                + "\"callerIds\":[\"+33100000001\"],\"maxLines\":" + maxLines + ",\"maxCps\":100000,"
                + "\"originateTimeout\":\"10s\"}]"));
        if (database != null) {
            env.put("DIALER_DATABASE_URL", database);
            env.put("DIALER_DATABASE_USER", "postgres");
        }
        env.putAll(extra);
        return env;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the dialer exited with " + process.exitValue() + "; log:\n"
                    + Files.readString(log));
            }
            try {
                if (get("/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            pause(250);
        }
        throw new IllegalStateException("the dialer was not ready within 120 s; log:\n" + Files.readString(log));
    }

    long pid() {
        return process.pid();
    }

    /** The node's admin API token ({@code Authorization: Bearer}). */
    String token() {
        return token;
    }

    /** The node's HTTP port on 127.0.0.1. */
    int port() {
        return port;
    }

    /** Process user + system CPU so far, ms. */
    double cpuMillis() {
        return ProcCpu.millis(process.pid(), false);
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET());
    }

    /** Sends and checks the status, failing with the body otherwise. */
    JsonObject call(String method, String path, String type, String body, int expected) throws IOException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).header("Content-Type", type)
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    Path log() {
        return log;
    }

    /** SIGTERM, as {@code docker compose stop} does; forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

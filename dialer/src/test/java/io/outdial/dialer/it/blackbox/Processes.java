package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.TestConfigs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The built {@code dialer.jar} started as a user starts it, and the sandbox PBX in a process of its own
 * ({@code java -cp dialer.jar io.outdial.sandbox.SandboxMain PORT}). Every process started here is destroyed by
 * {@link #close()}, which the tests call in a finally block.
 */
final class Processes implements AutoCloseable {
    static final Path JAR = Path.of("target", "dialer.jar").toAbsolutePath();
    static final String ARI_USER = "dialer";
    static final String ARI_PASSWORD = "dialer";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** Each started process's log, for the failure message of {@link #awaitReady}. */
    private static final Map<Process, Path> LOGS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final Path dir;
    private final List<Process> started = new ArrayList<>();

    Processes(Path dir) {
        this.dir = dir;
        assertThat(JAR).as("dialer.jar is built by the package phase before the integration tests").exists();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code java <jvmArgs...>} in the test folder, output to {@code log}; DIALER_* comes from env only. */
    Process start(String log, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("DIALER_") || k.startsWith("SANDBOX_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        LOGS.put(p, dir.resolve(log));
        return p;
    }

    /** The admin token the API requests send (made by {@link #adminToken}); null: none. */
    static volatile String token;

    /**
     * {@code java -jar dialer.jar token create bb --role admin} on the node's database (before the node runs: the
     * embedded H2 is locked while it does); the printed token is sent by {@link #get} and {@link #send} from now on.
     */
    String adminToken(Map<String, String> env) throws IOException, InterruptedException {
        Path out = dir.resolve("token.out");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
            JAR.toString(), "token", "create", "bb", "--role", "admin"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("token.log").toFile()))
            .redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DIALER_") || k.startsWith("SANDBOX_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("token create ends").isTrue();
        assertThat(p.exitValue()).as(log("token.log")).isZero();
        // the token is a line of its own (the log may share standard output)
        String tokenLog = log("token.log");
        token = Files.readAllLines(out).stream().map(String::trim).filter(l -> l.startsWith("odt_")).findFirst()
            .orElseThrow(() -> new AssertionError("no token printed; " + tokenLog));
        return token;
    }

    /** {@code java -jar dialer.jar <args>}. */
    Process dialer(String log, Map<String, String> env, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-jar", JAR.toString()));
        all.addAll(List.of(args));
        return start(log, env, all.toArray(String[]::new));
    }

    /** The sandbox PBX on {@code port} (real time), answering ARI once this returns. */
    Process pbx(int port) throws IOException {
        Process p = start("pbx.log", Map.of(), "-cp", JAR.toString(), "io.outdial.sandbox.SandboxMain",
            Integer.toString(port), "1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
            .failFast("the sandbox PBX process exited; see pbx.log", () -> !p.isAlive())
            .until(() -> ariGet(port, "/asterisk/info").statusCode() == 200);
        return p;
    }

    /** Environment of a dialer node on loopback: HTTP on {@code httpPort}, its own cluster, data in {@code data}. */
    static Map<String, String> node(int httpPort, Path data, int pbxPort) {
        return Map.of(
            "DIALER_HTTP_HOST", "127.0.0.1",
            "DIALER_HTTP_PORT", Integer.toString(httpPort),
            "DIALER_CLUSTER_PORT", Integer.toString(TestConfigs.freePort()),
            "DIALER_CLUSTER_NAME", "outdial-bb-" + httpPort,
            "DIALER_DATABASE_DATA_DIR", data.toString(),
            "DIALER_SHUTDOWN_DRAIN_TIMEOUT", "20s",
            "DIALER_ASTERISK", "[{\"name\":\"pbx1\",\"url\":\"http://127.0.0.1:" + pbxPort + "\",\"username\":\""
                + ARI_USER + "\",\"password\":\"" + ARI_PASSWORD + "\",\"app\":\"dialer-bb\"}]",
            "DIALER_TRUNKS", "[{\"name\":\"carrier\",\"endpointPattern\":\"PJSIP/{number}@carrier\","
                + "\"callerIds\":[\"+33100000001\"],\"maxLines\":30,\"maxCps\":10,\"originateTimeout\":\"5s\"}]");
    }

    /**
     * {@link #node} as one member of a cluster on loopback: Hazelcast on {@code clusterPort} joining {@code members}
     * ({@code host:port,...}) in cluster {@code clusterName}, the shared PostgreSQL at {@code dbUrl}, and its own ARI
     * application {@code app} on the PBX.
     */
    static Map<String, String> clusterNode(String app, int httpPort, int clusterPort, String members,
                                           String clusterName, String dbUrl, Path data, int pbxPort) {
        Map<String, String> env = new java.util.HashMap<>(node(httpPort, data, pbxPort));
        env.put("DIALER_CLUSTER_NAME", clusterName);
        env.put("DIALER_CLUSTER_PORT", Integer.toString(clusterPort));
        env.put("DIALER_CLUSTER_JOIN_ENABLED", "true");
        env.put("DIALER_CLUSTER_MEMBERS", members);
        env.put("DIALER_DATABASE_URL", dbUrl);
        env.put("DIALER_DATABASE_USER", "postgres");
        env.put("DIALER_DATABASE_PASSWORD", "");
        env.put("DIALER_ASTERISK", "[{\"name\":\"pbx1\",\"url\":\"http://127.0.0.1:" + pbxPort + "\",\"username\":\""
            + ARI_USER + "\",\"password\":\"" + ARI_PASSWORD + "\",\"app\":\"" + app + "\"}]");
        return env;
    }

    /** Imports {@code csv} into campaign {@code campaign} through the node's API and waits until it completed. */
    static void importContacts(int port, String campaign, String csv) throws IOException, InterruptedException {
        HttpResponse<String> imp = send(port, "POST", "/api/v1/campaigns/" + campaign + "/imports?name=contacts.csv",
            "text/csv", csv);
        ok(imp, 202);
        String importId = String.valueOf(new io.vertx.core.json.JsonObject(imp.body()).getValue("importId"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
            new io.vertx.core.json.JsonObject(get(port, "/api/v1/imports/" + importId).body()).getString("state")
                .equals("COMPLETED"));
    }

    /** Moves campaign {@code campaign} to {@code state} through the node's API (200 expected). */
    static void state(int port, String campaign, String state) throws IOException, InterruptedException {
        ok(send(port, "POST", "/api/v1/campaigns/" + campaign + "/state", "application/json",
            "{\"state\": \"" + state + "\"}"), 200);
    }

    /** Fails with the response body unless {@code r} has {@code status}. */
    static void ok(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }

    /** The detail of campaign {@code campaign}'s check in the node's {@code /ready} ("" when it has none). */
    static String campaignStatus(int port, String campaign) throws IOException, InterruptedException {
        io.vertx.core.json.JsonArray deps = new io.vertx.core.json.JsonObject(get(port, "/ready").body())
            .getJsonArray("dependencies");
        for (int i = 0; i < deps.size(); i++) {
            if (deps.getJsonObject(i).getString("name").equals("campaign:" + campaign)) {
                return deps.getJsonObject(i).getString("detail");
            }
        }
        return "";
    }

    /** Waits until the node at {@code port} answers {@code /ready} with 200. */
    static void awaitReady(Process p, int port, Duration atMost) {
        String[] last = {"no answer"};
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the dialer process exited", () -> !p.isAlive())
                .until(() -> {
                    HttpResponse<String> r = get(port, "/ready");
                    last[0] = r.statusCode() + " " + r.body();
                    return r.statusCode() == 200;
                });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the node on port " + port + " was not ready within " + atMost.toSeconds()
                + " s; /ready last said: " + last[0] + "; its log ends with:\n" + logTail(p, 60), e);
        }
    }

    /** The last {@code lines} lines of {@code p}'s log ("" when unknown). */
    private static String logTail(Process p, int lines) {
        Path log = LOGS.get(p);
        try {
            if (log == null || !Files.exists(log)) {
                return "";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    static HttpResponse<String> ariGet(int port, String path) throws IOException, InterruptedException {
        String auth = Base64.getEncoder().encodeToString((ARI_USER + ":" + ARI_PASSWORD)
            .getBytes(StandardCharsets.UTF_8));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ari" + path))
            .header("Authorization", "Basic " + auth).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
            .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(int port, String method, String path, String type, String body)
        throws IOException, InterruptedException {
        return HTTP.send(authorized(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
            .timeout(Duration.ofSeconds(10)).header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b) {
        String t = token;
        return t == null ? b : b.header("Authorization", "Bearer " + t);
    }

    /** Whether {@code p} ends within {@code seconds}. */
    static boolean ends(Process p, long seconds) throws InterruptedException {
        return p.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** A test body that may throw. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; when it fails, copies the logs named {@code logs} to {@code target/<folder>} for the reader
     * (the temporary folder goes with the test) and fails as it did.
     */
    void keepingLogs(String folder, List<String> logs, Body body) throws Exception {
        try {
            body.run();
        } catch (Exception | Error failed) {
            Path keep = Path.of("target", folder);
            Files.createDirectories(keep);
            for (String log : logs) {
                Files.writeString(keep.resolve(log), log(log));
            }
            throw failed;
        }
    }

    String log(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Override
    public void close() {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (Process p : started) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

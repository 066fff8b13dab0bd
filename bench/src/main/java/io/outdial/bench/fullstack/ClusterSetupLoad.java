package io.outdial.bench.fullstack;

import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cluster load run, not JMH: call set-ups per second of one dialer node against three nodes sharing their limits
 * (Hazelcast line leases and rate windows), the same workload on the same sandbox PBX process ({@link FullStackPbx})
 * and one PostgreSQL server of its own ({@link Postgres}). Every node is {@code java -jar dialer.jar serve} in a
 * process of its own (no JVM is shared), with its own ARI application.
 *
 * <p>The workload of a setup: {@code campaigns} campaigns of {@code calls} contacts each (callee answers, presses 1
 * {@code dtmfMs} after the answer, the flow's spoken question is cut by the key, goal, hang-up), all set RUNNING at
 * once, each with {@code lines} lines and a per-second limit of {@code campaignRate}; the node's global limits
 * ({@code dialing.maxLines}, {@code dialing.maxPerSecond}) and the trunk's are set high enough not to bind, but are
 * set, so every call takes a line lease and a rate token at all three levels. A campaign is dialed only by its owner
 * node, so three nodes share the work by owning different campaigns. Before the measured round, a warm-up round of
 * the same shape ({@code warmupCalls} contacts a campaign).
 *
 * <p>Setups ({@code setups}, default {@code local,1,3}): {@code local} is one node with {@code cluster.joinEnabled:
 * false} (in-memory leases and windows); {@code N} is N nodes with {@code joinEnabled: true} in one cluster on
 * loopback (for N = 1 its only member entry is an unused loopback port: the node is a cluster of one and pays the
 * entry processors on its own partitions). Figures per setup: originations per second as the PBX stamped them
 * (first to last of the round), completed calls, the most originations in any 1 s window, CPU per call summed over
 * the nodes' processes, and which node owned which campaign.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.fullstack.ClusterSetupLoad} from the repository
 * root after {@code mvn -B -q -pl bench -am package -DskipTests} (system properties: {@code setups} local,1,3,
 * {@code campaigns} 3, {@code calls} 600, {@code warmupCalls} 150, {@code lines} 40, {@code campaignRate} 10000,
 * {@code dtmfMs} 1000, {@code dialerJar} dialer/target/dialer.jar, {@code dir} (a new temporary directory)).
 */
public final class ClusterSetupLoad {
    private static final int GLOBAL_LIMIT = 100_000;

    private ClusterSetupLoad() {
    }

    /** One setup's measured round. */
    record Result(String setup, int nodes, PbxStats pbx, int completed, int calls, double seconds, double cpuMs,
                  double idleCpuMsPerSecond, Map<String, String> owners, String loadBefore, String loadAfter) {
        double cpuPerCall() {
            return pbx.originates() == 0 ? 0 : cpuMs / pbx.originates();
        }

        /** CPU per call less what the nodes spend idle (heartbeats, reconciles) over the round's duration. */
        double netCpuPerCall() {
            return pbx.originates() == 0 ? 0 : (cpuMs - idleCpuMsPerSecond * seconds) / pbx.originates();
        }
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        List<String> setups = Arrays.stream(System.getProperty("setups", "local,1,3").split(",")).map(String::trim)
            .toList();
        int campaigns = Integer.getInteger("campaigns", 3);
        int calls = Integer.getInteger("calls", 600);
        int warmup = Integer.getInteger("warmupCalls", 150);
        int lines = Integer.getInteger("lines", 40);
        int campaignRate = Integer.getInteger("campaignRate", 10_000);
        long dtmfMs = Long.getLong("dtmfMs", 1000);
        String jarProp = System.getProperty("dialerJar", "dialer/target/dialer.jar");
        Path jar = jarProp.isBlank() ? null : Path.of(jarProp).toAbsolutePath();
        if (jar != null && !Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " not found: build it with mvn -B -q -pl dialer -am package"
                + " -DskipTests");
        }
        String dirProp = System.getProperty("dir", "");
        Path dir = dirProp.isBlank() ? Files.createTempDirectory("outdial-cluster-load-")
            : Path.of(dirProp).toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "cluster load: setups %s, %d campaigns x %d calls (warm-up %d each), %d lines"
                + " and %d/s a campaign, global and trunk limits %d, key %d ms after the answer, %d CPUs, load %s,"
                + " logs in %s%n", setups, campaigns, calls, warmup, lines, campaignRate, GLOBAL_LIMIT, dtmfMs,
            Runtime.getRuntime().availableProcessors(), ProcCpu.loadAverage(), dir);
        List<Result> results = new ArrayList<>();
        try (PbxProcess pbx = new PbxProcess(dtmfMs, dir.resolve("pbx.log"))) {
            int round = 0;
            for (String setup : setups) {
                round++;
                results.add(runSetup(setup, round, jar, dir, pbx, campaigns, calls, warmup, lines, campaignRate));
                System.out.println(line(results.get(results.size() - 1)));
            }
        }
        print(results);
        System.exit(0);
    }

    private static Result runSetup(String setup, int round, Path jar, Path dir, PbxProcess pbx, int campaigns,
                                   int calls, int warmup, int lines, int campaignRate) throws Exception {
        boolean local = setup.equals("local");
        int n = local ? 1 : Integer.parseInt(setup);
        int[] clusterPorts = new int[n];
        for (int i = 0; i < n; i++) {
            clusterPorts[i] = Postgres.freePort();
        }
        int unused = Postgres.freePort();
        String clusterName = "outdial-bench-cluster-" + round + "-" + clusterPorts[0];
        List<DialerProcess> nodes = new ArrayList<>();
        try (Postgres postgres = Postgres.start()) {
            String db = postgres.createDatabase("outdial_cluster_" + round);
            for (int i = 0; i < n; i++) {
                Map<String, String> env = new HashMap<>();
                env.put("DIALER_DIALING_MAX_PER_SECOND", Integer.toString(GLOBAL_LIMIT));
                env.put("DIALER_SHUTDOWN_DRAIN_TIMEOUT", "5s");
                env.put("DIALER_ASTERISK", "[{\"name\":\"pbx\",\"url\":\"http://127.0.0.1:" + pbx.port()
                    + "\",\"username\":\"" + FullStackPbx.USER + "\",\"password\":\"" + FullStackPbx.PASSWORD
                    + "\",\"app\":\"bench-" + setup + "-" + i + "\"}]");
                if (!local) {
                    List<String> members = new ArrayList<>();
                    for (int j = 0; j < n; j++) {
                        if (j != i) {
                            members.add("127.0.0.1:" + clusterPorts[j]);
                        }
                    }
                    if (members.isEmpty()) {
                        members.add("127.0.0.1:" + unused);
                    }
                    env.put("DIALER_CLUSTER_JOIN_ENABLED", "true");
                    env.put("DIALER_CLUSTER_NAME", clusterName);
                    env.put("DIALER_CLUSTER_PORT", Integer.toString(clusterPorts[i]));
                    env.put("DIALER_CLUSTER_MEMBERS", String.join(",", members));
                }
                Path nodeDir = dir.resolve(setup + "-node-" + i);
                Files.createDirectories(nodeDir);
                nodes.add(new DialerProcess(setup + "-" + i, jar, nodeDir, pbx.port(), db, GLOBAL_LIMIT, List.of(),
                    env));
            }
            if (!local) {
                awaitMembers(nodes.get(0), n);
            }
            nodes.get(0).call("PUT", "/api/v1/flows/" + DialerSteps.FLOW_ID, "application/yaml", DialerSteps.FLOW, 201);
            round(nodes, pbx, "w" + round, campaigns, warmup, lines, campaignRate, round * 10, 0);
            double idle = idleCpuMsPerSecond(nodes);
            System.out.printf(Locale.ROOT, "%s: %d node(s) ready, warm-up done, idle CPU %.1f ms/s over the nodes,"
                + " load %s%n", setup, n, idle, ProcCpu.loadAverage());
            return round(nodes, pbx, setup, campaigns, calls, lines, campaignRate, round * 10 + 5, idle);
        } finally {
            for (DialerProcess d : nodes) {
                d.close();
            }
        }
    }

    private static void awaitMembers(DialerProcess node, int n) throws IOException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!node.get("/ready").body().contains(n + " member(s)")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(n + " members did not join within 120 s; see " + node.log());
            }
            DialerProcess.pause(250);
        }
    }

    /** Creates the campaigns, imports their contacts, sets them all RUNNING and waits until all are FINISHED. */
    private static Result round(List<DialerProcess> nodes, PbxProcess pbx, String setup, int campaigns, int calls,
                                int lines, int campaignRate, int stepBase, double idle) throws IOException {
        DialerProcess api = nodes.get(0);
        List<String> ids = new ArrayList<>();
        for (int c = 0; c < campaigns; c++) {
            String id = "cl-" + setup + "-" + c;
            ids.add(id);
            api.call("POST", "/api/v1/campaigns", "application/json", "{\"id\":\"" + id + "\",\"name\":\"" + id
                + "\",\"region\":\"FR\",\"timeZone\":\"Europe/Paris\",\"flowId\":\"" + DialerSteps.FLOW_ID + "\","
                + "\"calendar\":{\"everyDay\":[\"00:00-24:00\"]},\"trunk\":{\"name\":\"carrier\"},"
                + "\"limits\":{\"lines\":" + lines + ",\"perSecond\":" + campaignRate + "},"
                + "\"attempts\":{\"totalCap\":1,\"dailyCap\":1}}", 201);
            JsonObject imp = api.call("POST", "/api/v1/campaigns/" + id + "/imports?name=contacts.csv", "text/csv",
                DialerSteps.contactsCsv(stepBase + c, calls), 202);
            String importId = String.valueOf(imp.getValue("importId"));
            long importDeadline = System.nanoTime() + 120_000_000_000L;
            while (!"COMPLETED".equals(new JsonObject(api.get("/api/v1/imports/" + importId).body())
                .getString("state"))) {
                if (System.nanoTime() > importDeadline) {
                    throw new IllegalStateException("import " + importId + " of " + id + " not completed in 120 s");
                }
                DialerProcess.pause(100);
            }
        }
        String loadBefore = ProcCpu.loadAverage();
        int[] mark = pbx.mark();
        double[] cpu0 = nodes.stream().mapToDouble(DialerProcess::cpuMillis).toArray();
        long t0 = System.nanoTime();
        for (String id : ids) {
            api.call("POST", "/api/v1/campaigns/" + id + "/state", "application/json", "{\"state\": \"RUNNING\"}",
                200);
        }
        Map<String, String> owners = new TreeMap<>();
        long deadline = t0 + (120L + (long) campaigns * calls / 5) * 1_000_000_000L;
        int completed = 0;
        while (true) {
            int finished = 0;
            completed = 0;
            for (String id : ids) {
                JsonObject view = new JsonObject(api.get("/api/v1/campaigns/" + id).body());
                if ("FINISHED".equals(view.getString("state"))) {
                    finished++;
                }
                completed += view.getJsonObject("counters", new JsonObject()).getInteger("closedSuccess", 0);
                if (!owners.containsKey(id)) {
                    for (int i = 0; i < nodes.size(); i++) {
                        JsonObject seen = new JsonObject(nodes.get(i).get("/api/v1/campaigns/" + id).body());
                        if (seen.getJsonObject("runner") != null) {
                            owners.put(id, "node " + i);
                        }
                    }
                }
            }
            if (finished == ids.size()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "%s: INCOMPLETE, %d of %d campaigns finished%n", setup, finished,
                    ids.size());
                break;
            }
            DialerProcess.pause(200);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = 0;
        for (int i = 0; i < nodes.size(); i++) {
            cpu += nodes.get(i).cpuMillis() - cpu0[i];
        }
        return new Result(setup, nodes.size(), pbx.stats(mark, 0), completed, campaigns * calls, seconds, cpu,
            idle, new LinkedHashMap<>(owners), loadBefore, ProcCpu.loadAverage());
    }

    /** CPU the nodes spend per second together while nothing is dialed, over 3 s. */
    private static double idleCpuMsPerSecond(List<DialerProcess> nodes) {
        double c0 = nodes.stream().mapToDouble(DialerProcess::cpuMillis).sum();
        long t0 = System.nanoTime();
        DialerProcess.pause(3000);
        return (nodes.stream().mapToDouble(DialerProcess::cpuMillis).sum() - c0) / ((System.nanoTime() - t0) / 1e9);
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "%-6s %d node(s): %d originations, %.1f set-ups/s (PBX), most in 1 s %d,"
                + " %d/%d completed, %.1f s, CPU %.2f ms/call over the nodes (net of idle %.2f), owners %s, load %s -> %s",
            r.setup(), r.nodes(), r.pbx().originates(), r.pbx().perSecond(), r.pbx().mostInOneSecond(), r.completed(),
            r.calls(), r.seconds(), r.cpuPerCall(), r.netCpuPerCall(), r.owners(), r.loadBefore(), r.loadAfter());
    }

    /** The summary table (Markdown), with each setup's set-ups/s against the first setup's. */
    static void print(List<Result> results) {
        System.out.println();
        System.out.println("| setup | nodes | set-ups/s (PBX) | / first setup | most in 1 s | completed | CPU ms/call"
            + " (all nodes, net of idle) | campaign owners | load before -> after |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|---|");
        double first = results.isEmpty() ? 1 : Math.max(1e-9, results.get(0).pbx().perSecond());
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.2f | %d | %d/%d | %.2f (%.2f) | %s | %s -> %s |%n",
                r.setup(), r.nodes(), r.pbx().perSecond(), r.pbx().perSecond() / first, r.pbx().mostInOneSecond(),
                r.completed(), r.calls(), r.cpuPerCall(), r.netCpuPerCall(), r.owners().values(), r.loadBefore(),
                r.loadAfter());
        }
    }
}

package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} nodes of one cluster on loopback for the black-box tests: their HTTP and cluster ports, the
 * cluster's name, one new PostgreSQL database and the sandbox PBX's port; {@link #start} runs both and waits until
 * they see each other.
 */
record TwoNodes(int pbxPort, int[] http, int[] cluster, String name, String db, String app, Path dir,
                Map<String, String> extraEnv) {

    /** Fresh ports and database; node {@code i}'s ARI application is {@code app + i}, its data in {@code dir}. */
    static TwoNodes create(String app, Path dir, Map<String, String> extraEnv) {
        int[] http = {TestConfigs.freePort(), TestConfigs.freePort()};
        return new TwoNodes(TestConfigs.freePort(), http, new int[] {TestConfigs.freePort(), TestConfigs.freePort()},
            "outdial-" + app + http[0], EmbeddedPostgres.get().createDatabase(), app, dir, Map.copyOf(extraEnv));
    }

    /** A black-box test body over two nodes and the processes it starts. */
    interface Body {
        void run(Processes procs, TwoNodes two) throws Exception;
    }

    /**
     * Runs {@code body} with a new {@link Processes} on {@link #dir}; when it fails, the nodes' and the PBX's logs are
     * kept in {@code target/<logs>} ({@link Processes#keepingLogs}).
     */
    void run(String logs, Body body) throws Exception {
        try (Processes procs = new Processes(dir)) {
            procs.keepingLogs(logs, List.of("node-0.log", "node-1.log", "pbx.log"), () -> body.run(procs, this));
        }
    }

    /** Node {@code i}'s environment. */
    Map<String, String> env(int i) {
        Map<String, String> env = new HashMap<>(Processes.clusterNode(app + i, http[i], cluster[i], "127.0.0.1:"
            + cluster[1 - i], name, db, dir.resolve("data-" + i), pbxPort));
        env.putAll(extraEnv);
        return env;
    }

    /**
     * Starts both nodes (logs {@code node-0.log}, {@code node-1.log}), waits until they answer, makes the admin token
     * (the shared database is migrated then) and waits until they form one cluster of two.
     */
    Process[] start(Processes procs) throws IOException, InterruptedException {
        Process[] nodes = new Process[2];
        for (int i = 0; i < 2; i++) {
            nodes[i] = procs.dialer("node-" + i + ".log", env(i), "serve");
        }
        for (int i = 0; i < 2; i++) {
            Processes.awaitReady(nodes[i], http[i], Duration.ofSeconds(120));
        }
        procs.adminToken(env(0));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> Processes.get(http[0], "/ready").body().contains("2 member(s)"));
        return nodes;
    }

    /**
     * The node (0 or 1) whose {@code /ready} shows {@code campaign} as its own: a detail {@code ownerStatus} takes
     * that is not "dialed by another node", within 60 s.
     */
    int owner(String campaign, java.util.function.Predicate<String> ownerStatus) {
        int[] owner = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 2; i++) {
                String status = Processes.campaignStatus(http[i], campaign);
                if (ownerStatus.test(status) && !status.contains("dialed by another node")) {
                    owner[0] = i;
                    return true;
                }
            }
            return false;
        });
        return owner[0];
    }

    /** The node (0 or 1) dialing {@code campaign} ({@code /ready} says {@code dialing}), within 60 s. */
    int dialing(String campaign) {
        return owner(campaign, status -> status.startsWith("dialing"));
    }
}

package io.outdial.dialer.it.blackbox;

import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.sandbox.smsc.SubmittedSm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.outdial.dialer.it.blackbox.CascadeKillIT.CAMPAIGN;
import static io.outdial.dialer.it.blackbox.CascadeKillIT.CONTACTS;
import static io.outdial.dialer.it.blackbox.CascadeKillIT.inState;
import static io.outdial.dialer.it.blackbox.CascadeKillIT.runs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} processes of one cluster on one PostgreSQL database, the sandbox PBX in its own process and the
 * sandbox SMSC: the node that runs the cascades (its {@code /ready} says so) is killed with {@code kill -9} once some
 * SMS went out while other runs wait on the scheme's delay. The other node takes the cascade lease when the dead
 * node's expires, resumes the waiting runs' timers and finishes every run; no number gets the SMS twice.
 */
class ClusterCascadeFailoverIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterCascadeFailoverIT.class);
    private static final String RUNS_HERE = "this node runs the cascades";

    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void theSurvivorTakesTheCascadesOverAndSendsNothingTwice() throws Exception {
        try (SandboxSmsc smsc = new SandboxSmsc("outdial", "ccfail01"); Processes procs = new Processes(dir)) {
            int smscPort = smsc.start();
            TwoNodes two = TwoNodes.create("bb-cc-", dir, Map.of(
                "DIALER_SMSC", "[{\"name\":\"smsc1\",\"host\":\"127.0.0.1\",\"port\":" + smscPort
                    + ",\"systemId\":\"outdial\",\"passwordEnv\":\"OUTDIAL_BB_SMSC_PASSWORD\","
                    + "\"sourceAddress\":\"Outdial\"}]",
                "OUTDIAL_BB_SMSC_PASSWORD", "ccfail01"));
            int[] http = two.http();
            procs.keepingLogs("cluster-cascade-failover-logs", List.of("node-0.log", "node-1.log", "pbx.log"), () -> {
                procs.pbx(two.pbxPort());
                Process[] nodes = two.start(procs);
                int holder = holder(http);
                int survivor = 1 - holder;
                CascadeKillIT.createCampaign(http[survivor]);
                Processes.importContacts(http[survivor], CAMPAIGN, CascadeKillIT.contactsCsv());
                Processes.state(http[survivor], CAMPAIGN, "RUNNING");

                // kill -9 the cascades' node once some SMS went out while other runs wait on their delay
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> smsc.submitted().size() >= 2 && inState(runs(http[survivor]), "WAITING") >= 1);
                long killed = System.nanoTime();
                nodes[holder].destroyForcibly();
                assertThat(Processes.ends(nodes[holder], 30)).isTrue();
                int atKill = smsc.submitted().size();
                assertThat(atKill).as("the kill came mid-cascade").isLessThan(CONTACTS);

                // the survivor holds the lease once the dead node's expired (10 s) and finishes every run
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> Processes.get(http[survivor], "/ready").body().contains(RUNS_HERE));
                LOG.info("the survivor runs the cascades {} ms after the kill", (System.nanoTime() - killed) / 1_000_000);
                await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> {
                        JsonObject r = runs(http[survivor]);
                        assertThat(r.getLong("total")).isEqualTo(CONTACTS);
                        assertThat(inState(r, "DONE")).as(r.encode()).isEqualTo(CONTACTS);
                    });
                Map<String, Long> perNumber = smsc.submitted().stream().collect(Collectors.groupingBy(
                    SubmittedSm::dest, Collectors.counting()));
                assertThat(perNumber.values()).as("no number got the SMS twice: %s", perNumber)
                    .allMatch(n -> n == 1);
                assertThat(smsc.submitted().size()).as("SMS went out after the kill: the survivor resumed")
                    .isGreaterThan(atKill);
                assertThat(procs.log("node-" + survivor + ".log")).contains("holds the cascade lease");
            });
        }
    }

    /** The node (0 or 1) whose {@code /ready} says it runs the cascades, within 60 s. */
    private static int holder(int[] http) {
        int[] found = {-1};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 2; i++) {
                if (Processes.get(http[i], "/ready").body().contains(RUNS_HERE)) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }
}

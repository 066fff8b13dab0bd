package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code java -jar dialer.jar serve} processes in one cluster on loopback, one PostgreSQL database and one
 * sandbox PBX process, each node with its own ARI application. The campaign is dialed by one owner; the owner is
 * killed with {@code kill -9} while its calls are up; the survivor takes the campaign over (its owner lease and the
 * dead node's line leases expire within the lease TTL), reconciles the dead node's attempts through the database
 * and ARI, and finishes it: every contact closed, none dialed twice for one decision, the line and rate limits
 * held across both nodes; the survivor's {@code /ready} lists the cluster's members.
 */
class ClusterFailoverIT {
    private static final String CAMPAIGN = "bb-cluster";
    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void theOwnerKilledMidCampaignIsTakenOverAndNoContactIsDialedTwice() throws Exception {
        TwoNodes two = TwoNodes.create("bb-node-", dir, Map.of());
        two.run("cluster-failover-logs", this::run);
    }

    private void run(Processes procs, TwoNodes two) throws Exception {
        int[] http = two.http();
        {
            procs.pbx(two.pbxPort());
            try (PbxObserver pbx = new PbxObserver(two.pbxPort())) {
                Process[] nodes = two.start(procs);

                ok(Processes.send(http[0], "PUT", "/api/v1/flows/bb-survey", "application/yaml",
                    Scenario.flowYaml("bb-survey", false)), 201);
                ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json",
                    Scenario.campaignJson(CAMPAIGN, "bb-survey")), 201);
                Processes.importContacts(http[0], CAMPAIGN, Scenario.contactsCsv());
                Processes.state(http[1], CAMPAIGN, "RUNNING");

                // exactly one node dials it; the other follows
                int[] owner = {-1};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        for (int i = 0; i < 2; i++) {
                            if (Processes.campaignStatus(http[i], CAMPAIGN).startsWith("dialing")) {
                                owner[0] = i;
                                return Processes.campaignStatus(http[1 - i], CAMPAIGN).contains("another node");
                            }
                        }
                        return false;
                    });
                int dead = owner[0];
                int survivor = 1 - dead;
                // the other node's /ready shows the owner's lines (shared leases, per node)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> java.util.regex.Pattern.compile("lines in use: [^\"]*[1-9]")
                        .matcher(Processes.get(http[survivor], "/ready").body()).find());
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> pbx.calls().size() >= 4 && pbx.calls().stream().anyMatch(c -> c.end() == null));
                long killedAt = System.currentTimeMillis();
                nodes[dead].destroyForcibly(); // kill -9
                assertThat(Processes.ends(nodes[dead], 30)).isTrue();
                int callsAtKill = pbx.calls().size();

                // the survivor owns the campaign (its lease expired with the dead node) and dials again
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> procs.log("node-" + survivor + ".log").contains("now owns campaign " + CAMPAIGN));
                String taken = procs.log("node-" + survivor + ".log").lines()
                    .filter(l -> l.contains("now owns campaign " + CAMPAIGN)).findFirst().orElseThrow();
                long takenAt = java.time.Instant.parse(taken.substring(0, taken.indexOf(' '))).toEpochMilli();
                System.out.println("failover: campaign owned by the survivor " + (takenAt - killedAt)
                    + " ms after the kill");
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> new JsonObject(Processes.get(http[survivor], "/api/v1/campaigns/" + CAMPAIGN).body())
                        .getString("state").equals("FINISHED"));
                assertThat(pbx.calls().size()).isGreaterThanOrEqualTo(callsAtKill);

                HttpResponse<String> csv = Processes.get(http[survivor], "/api/v1/campaigns/" + CAMPAIGN
                    + "/results.csv");
                ok(csv, 200);
                Map<String, Map<String, String>> results = Scenario.results(csv.body());
                org.assertj.core.api.Assertions.assertThatCode(() ->
                    assertClosedAndNeverDialedTwice(results, pbx))
                    .as("survivor log:\n" + procs.log("node-" + survivor + ".log").lines()
                        .filter(l -> l.contains("contact") || l.contains("recover") || l.contains("attempt"))
                        .toList()).doesNotThrowAnyException();
                Scenario.assertLimits(pbx);
                assertThat(Processes.get(http[survivor], "/ready").body()).contains("1 member(s)");
            }
        }
    }

    /**
     * Every contact closed; each number dialed at most as often as its script allows and never while its previous
     * call was up. An attempt the killed node had recorded before its originate reached the PBX counts as made and
     * ends LOST at the takeover (it may have been placed): such a contact may show no call at all, never two.
     */
    private static void assertClosedAndNeverDialedTwice(Map<String, Map<String, String>> results, PbxObserver pbx) {
        assertThat(results).containsOnlyKeys(Scenario.CONTACTS.keySet());
        assertThat(results.values()).allSatisfy(r -> assertThat(r.get("state")).as(r.toString()).isEqualTo("CLOSED"));
        Map<String, List<PbxObserver.Call>> dialed = new HashMap<>();
        pbx.calls().forEach(c -> dialed.computeIfAbsent(c.number(), k -> new java.util.ArrayList<>()).add(c));
        Scenario.CONTACTS.forEach((id, phone) -> {
            String e164 = Scenario.e164(phone);
            List<PbxObserver.Call> calls = dialed.getOrDefault(e164, List.of());
            boolean lost = "LOST".equals(results.get(id).get("last_outcome"));
            assertThat(calls.size()).as("times " + phone + " was dialed (" + results.get(id) + ")")
                .isBetween(lost ? 0 : 1, Scenario.expectedDials(e164.charAt(e164.length() - 1)));
            for (int i = 1; i < calls.size(); i++) {
                assertThat(calls.get(i - 1).end()).as(phone + " dialed again while its call was up").isNotNull();
            }
        });
    }
}

package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} processes in one cluster against one PostgreSQL database and one sandbox PBX, each owning one
 * campaign. While the second node's calls are up, the first node's campaign is paused and resumed, so its runner
 * stops and starts again and runs its recovery: it must leave the other node's live calls and claimed contacts
 * alone. Both campaigns end with every contact closed, each number dialed as often as its script allows and never
 * while its previous call was up.
 */
class TwoNodesOnePbxIT {
    private static final String[] CAMPAIGNS = {"bb-one", "bb-two"};
    @TempDir
    Path dir;

    /** Campaign {@code c}'s contacts: the scenario's scripts (last digit) on numbers of its own. */
    private static Map<String, String> contacts(int c) {
        Map<String, String> out = new LinkedHashMap<>();
        Scenario.CONTACTS.forEach((id, phone) -> out.put(c + id, phone.substring(0, 9) + (7 + c)
            + phone.substring(10)));
        return out;
    }

    private static String csv(Map<String, String> contacts) {
        StringBuilder csv = new StringBuilder("id,name,phone\n");
        contacts.forEach((id, phone) -> csv.append(id).append(",Name ").append(id).append(',').append(phone)
            .append('\n'));
        return csv.toString();
    }

    private static String status(int port, String campaign) throws Exception {
        JsonArray deps = new JsonObject(Processes.get(port, "/ready").body()).getJsonArray("dependencies");
        for (int i = 0; i < deps.size(); i++) {
            if (deps.getJsonObject(i).getString("name").equals("campaign:" + campaign)) {
                return deps.getJsonObject(i).getString("detail");
            }
        }
        return "";
    }

    @Test
    @Timeout(480)
    void aRunnerRestartOnOneNodeNeverTouchesTheOtherNodesCalls() throws Exception {
        TwoNodes two = TwoNodes.create("bb-two-", dir, Map.of());
        int[] http = two.http();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(two.pbxPort());
            try (PbxObserver pbx = new PbxObserver(two.pbxPort())) {
                two.start(procs);
                ok(Processes.send(http[0], "PUT", "/api/v1/flows/bb-survey", "application/yaml",
                    Scenario.flowYaml("bb-survey", false)), 201);
                for (int c = 0; c < 2; c++) {
                    ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json",
                        Scenario.campaignJson(CAMPAIGNS[c], "bb-survey")), 201);
                    Processes.importContacts(http[0], CAMPAIGNS[c], csv(contacts(c)));
                }
                Processes.state(http[0], CAMPAIGNS[0], "RUNNING");
                Processes.state(http[0], CAMPAIGNS[1], "RUNNING");

                // each node owns one campaign (a node takes no more than its share)
                Map<String, Integer> owner = new HashMap<>();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        owner.clear();
                        for (String c : CAMPAIGNS) {
                            for (int i = 0; i < 2; i++) {
                                if (status(http[i], c).startsWith("dialing")) {
                                    owner.put(c, i);
                                }
                            }
                        }
                        return owner.size() == 2;
                    });
                assertThat(owner.get(CAMPAIGNS[0])).as("owners " + owner).isNotEqualTo(owner.get(CAMPAIGNS[1]));
                int a = owner.get(CAMPAIGNS[0]);

                // while the other node's calls are up, the first campaign's runner stops and starts again
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                    pbx.calls().stream().anyMatch(c -> c.end() == null && c.number().contains("61234" + 8)));
                Processes.state(http[1 - a], CAMPAIGNS[0], "PAUSED");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> !status(http[a], CAMPAIGNS[0]).startsWith("dialing"));
                Processes.state(http[1 - a], CAMPAIGNS[0], "RUNNING");

                for (String c : CAMPAIGNS) {
                    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> new JsonObject(Processes.get(http[0], "/api/v1/campaigns/" + c).body())
                            .getString("state").equals("FINISHED"));
                }
                String logs = procs.log("node-0.log") + procs.log("node-1.log");
                assertThat(logs).doesNotContain("recovering after a restart");
                for (int c = 0; c < 2; c++) {
                    HttpResponse<String> csv = Processes.get(http[0], "/api/v1/campaigns/" + CAMPAIGNS[c]
                        + "/results.csv");
                    ok(csv, 200);
                    Map<String, Map<String, String>> results = Scenario.results(csv.body());
                    assertDialedOnce(pbx, contacts(c), results);
                }
            }
        }
    }

    private static void assertDialedOnce(PbxObserver pbx, Map<String, String> contacts,
                                         Map<String, Map<String, String>> results) {
        assertThat(results).containsOnlyKeys(contacts.keySet());
        assertThat(results.values()).allSatisfy(r -> assertThat(r.get("state")).as(r.toString()).isEqualTo("CLOSED"));
        Map<String, List<PbxObserver.Call>> dialed = new HashMap<>();
        pbx.calls().forEach(c -> dialed.computeIfAbsent(c.number(), k -> new ArrayList<>()).add(c));
        contacts.forEach((id, phone) -> {
            String e164 = Scenario.e164(phone);
            List<PbxObserver.Call> calls = dialed.getOrDefault(e164, List.of());
            assertThat(calls.size()).as("times " + phone + " was dialed")
                .isBetween(1, Scenario.expectedDials(e164.charAt(e164.length() - 1)));
            for (int i = 1; i < calls.size(); i++) {
                assertThat(calls.get(i - 1).end()).as(phone + " dialed again while its call was up").isNotNull();
            }
            String expected = Scenario.EXPECTED_RESULT.get(e164.charAt(e164.length() - 1));
            if (expected != null) {
                assertThat(results.get(id).get("outcome")).as("outcome of " + phone).isEqualTo(expected);
            }
        });
    }
}

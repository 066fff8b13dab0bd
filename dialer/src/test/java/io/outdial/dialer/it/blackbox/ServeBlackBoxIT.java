package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar dialer.jar serve} driven through its API (store the flow, create the campaign, import the contacts,
 * start it) against the sandbox PBX in its own process; checked from the PBX's side. Also: the dialer killed with
 * {@code kill -9} and restarted, and the PBX stopped and started again (with a SIGTERM of the dialer while the PBX is
 * down), lose no contact and dial none twice.
 */
class ServeBlackBoxIT {
    private static final String CAMPAIGN = "bb-serve";
    @TempDir
    Path dir;

    /** Stores the flow, creates the campaign, imports the contacts and starts it, all through the API. */
    private static void createAndStart(int port, boolean speak) throws Exception {
        ok(Processes.send(port, "PUT", "/api/v1/flows/bb-survey", "application/yaml",
            Scenario.flowYaml("bb-survey", speak)), 201);
        ok(Processes.send(port, "POST", "/api/v1/campaigns", "application/json",
            Scenario.campaignJson(CAMPAIGN, "bb-survey")), 201);
        HttpResponse<String> imp = Processes.send(port, "POST", "/api/v1/campaigns/" + CAMPAIGN
            + "/imports?name=contacts.csv", "text/csv", Scenario.contactsCsv());
        ok(imp, 202);
        String importId = String.valueOf(new JsonObject(imp.body()).getValue("importId"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
            new JsonObject(Processes.get(port, "/api/v1/imports/" + importId).body()).getString("state")
                .equals("COMPLETED"));
        ok(Processes.send(port, "POST", "/api/v1/campaigns/" + CAMPAIGN + "/state", "application/json",
            "{\"state\": \"RUNNING\"}"), 200);
    }

    private static void awaitFinished(int port, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() ->
            new JsonObject(Processes.get(port, "/api/v1/campaigns/" + CAMPAIGN).body()).getString("state")
                .equals("FINISHED"));
    }

    private static Map<String, Map<String, String>> results(int port) throws Exception {
        HttpResponse<String> csv = Processes.get(port, "/api/v1/campaigns/" + CAMPAIGN + "/results.csv");
        ok(csv, 200);
        return Scenario.results(csv.body());
    }

    @Test
    @Timeout(240)
    void serveDrivenThroughTheApiDialsWithinItsLimitsAndEndsEachScriptRight() throws Exception {
        int pbxPort = TestConfigs.freePort();
        int port = TestConfigs.freePort();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                procs.adminToken(Processes.node(port, dir.resolve("data"), pbxPort));
                Process node = procs.dialer("serve.log", Processes.node(port, dir.resolve("data"), pbxPort), "serve");
                Processes.awaitReady(node, port, Duration.ofSeconds(90));
                // the PBX was asked to send the app only the event types the dialer acts on
                JsonObject app = new JsonObject(Processes.ariGet(pbxPort, "/applications/dialer-bb").body());
                assertThat(app.getJsonArray("events_allowed").stream().map(o -> ((JsonObject) o).getString("type")))
                    .contains("StasisStart", "Dial", "ChannelDestroyed").doesNotContain("ChannelVarset", "StasisEnd");
                createAndStart(port, false);
                awaitFinished(port, Duration.ofSeconds(150));
                Scenario.assertOutcomes(pbx, results(port));
                Scenario.assertPromptsPlayed(pbx, false);
                Scenario.assertLimits(pbx);
                node.destroy();
                assertThat(Processes.ends(node, 60)).as("SIGTERM stops serve").isTrue();
            }
        }
    }

    /** Needs the spoken prompts of the composition roots (the serve node's media given to its telephony). */
    @Test
    @Timeout(240)
    void serveSpeaksEverySayNodeAndPlaysEveryPlayNode() throws Exception {
        int pbxPort = TestConfigs.freePort();
        int port = TestConfigs.freePort();
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                procs.adminToken(Processes.node(port, dir.resolve("data"), pbxPort));
                Process node = procs.dialer("serve.log", Processes.node(port, dir.resolve("data"), pbxPort), "serve");
                Processes.awaitReady(node, port, Duration.ofSeconds(90));
                createAndStart(port, true);
                awaitFinished(port, Duration.ofSeconds(150));
                Scenario.assertPromptsPlayed(pbx, true);
            }
        }
    }

    @Test
    @Timeout(300)
    void aKilledDialerRestartsWithoutLosingOrRedialingAContact() throws Exception {
        int pbxPort = TestConfigs.freePort();
        int port = TestConfigs.freePort();
        Map<String, String> env = Processes.node(port, dir.resolve("data"), pbxPort);
        try (Processes procs = new Processes(dir)) {
            procs.pbx(pbxPort);
            try (PbxObserver pbx = new PbxObserver(pbxPort)) {
                procs.adminToken(env);
                Process first = procs.dialer("serve-1.log", env, "serve");
                Processes.awaitReady(first, port, Duration.ofSeconds(90));
                createAndStart(port, false);
                // kill -9 while calls are up
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> pbx.calls().size() >= 4 && pbx.calls().stream().anyMatch(c -> c.end() == null));
                first.destroyForcibly();
                assertThat(Processes.ends(first, 30)).isTrue();

                Process second = procs.dialer("serve-2.log", env, "serve");
                Processes.awaitReady(second, port, Duration.ofSeconds(90));
                awaitFinished(port, Duration.ofSeconds(180));
                Map<String, Map<String, String>> results = results(port);
                org.assertj.core.api.Assertions.assertThatCode(() ->
                    assertEveryContactClosedAndDialedOnce(results, List.of(pbx), Set.of("LOST")))
                    .as("logs:\n" + procs.log("serve-1.log").lines().filter(l -> l.contains("contact")).toList()
                        + "\n" + procs.log("serve-2.log").lines().filter(l -> l.contains("contact")
                        || l.contains("recover")).toList()).doesNotThrowAnyException();
                Scenario.assertLimits(pbx);
            }
        }
    }

    @Test
    @Timeout(300)
    void thePbxStoppedAndStartedAgainLosesNoContactAndASigtermMeanwhileIsBounded() throws Exception {
        int pbxPort = TestConfigs.freePort();
        int port = TestConfigs.freePort();
        Map<String, String> env = Processes.node(port, dir.resolve("data"), pbxPort);
        try (Processes procs = new Processes(dir)) {
            Process pbxProcess = procs.pbx(pbxPort);
            List<PbxObserver> observers = new ArrayList<>();
            try {
                PbxObserver before = new PbxObserver(pbxPort);
                observers.add(before);
                procs.adminToken(env);
                Process first = procs.dialer("serve-1.log", env, "serve");
                Processes.awaitReady(first, port, Duration.ofSeconds(90));
                createAndStart(port, false);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> before.calls().size() >= 4 && before.calls().stream().anyMatch(c -> c.end() == null));
                pbxProcess.destroy(); // the PBX stops with calls up
                assertThat(Processes.ends(pbxProcess, 30)).isTrue();

                long t0 = System.nanoTime();
                first.destroy(); // SIGTERM while Asterisk is gone with calls live: bounded, not until it is back
                assertThat(Processes.ends(first, 40)).as("SIGTERM with the PBX down ends; log:\n"
                    + procs.log("serve-1.log")).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));

                procs.pbx(pbxPort);
                PbxObserver after = new PbxObserver(pbxPort);
                observers.add(after);
                Process second = procs.dialer("serve-2.log", env, "serve");
                Processes.awaitReady(second, port, Duration.ofSeconds(90));
                awaitFinished(port, Duration.ofSeconds(180));
                Map<String, Map<String, String>> results = results(port);
                // on a failure: each contact's result and what both dialer runs logged of contacts and attempts
                org.assertj.core.api.Assertions.assertThatCode(() ->
                    assertEveryContactClosedAndDialedOnce(results, observers, Set.of("FAILED", "LOST")))
                    .as("results " + results + "\nlogs:\n" + procs.log("serve-1.log").lines()
                        .filter(l -> l.contains("contact") || l.contains("originate")).toList() + "\n"
                        + procs.log("serve-2.log").lines().filter(l -> l.contains("contact")
                        || l.contains("recover")).toList()).doesNotThrowAnyException();
                Scenario.assertLimits(after);
            } finally {
                observers.forEach(o -> {
                    try {
                        o.close();
                    } catch (RuntimeException e) {
                        // the PBX it watched may be gone
                    }
                });
            }
        }
    }

    /**
     * No contact lost (each closed) and none dialed twice for one attempt: over all PBX lifetimes each number was
     * dialed at least once and at most as often as its script allows (a busy one is retried once, unless its busy
     * call was cut by the crash and closed LOST), never two calls to one number at once. A number may have no call
     * the observers saw when its last attempt ended with one of {@code fateUnknown}: its send time was stored and the
     * dialer was killed before the request reached the PBX (LOST after the restart: the dialer cannot tell a request
     * that never left from a call that ended while it was down, so it counts the attempt); with the PBX stopped, also
     * an originate that got no reply from the PBX going down (FAILED), or a call the PBX took as it stopped, after the
     * observers' websockets closed.
     */
    static void assertEveryContactClosedAndDialedOnce(Map<String, Map<String, String>> results,
                                                      List<PbxObserver> observers, Set<String> fateUnknown) {
        assertThat(results).containsOnlyKeys(Scenario.CONTACTS.keySet());
        assertThat(results.values()).allSatisfy(r -> assertThat(r.get("state")).as(r.toString()).isEqualTo("CLOSED"));
        Map<String, List<PbxObserver.Call>> dialed = new java.util.HashMap<>();
        observers.forEach(o -> o.calls().forEach(c -> dialed.computeIfAbsent(c.number(), k -> new ArrayList<>())
            .add(c)));
        Scenario.CONTACTS.forEach((id, phone) -> {
            String e164 = Scenario.e164(phone);
            List<PbxObserver.Call> calls = dialed.getOrDefault(e164, List.of());
            boolean unknown = fateUnknown.contains(results.get(id).get("last_outcome"));
            assertThat(calls.size()).as("times " + phone + " was dialed (result " + results.get(id) + ")")
                .isBetween(unknown ? 0 : 1, Scenario.expectedDials(e164.charAt(e164.length() - 1)));
            for (int i = 1; i < calls.size(); i++) {
                assertThat(calls.get(i - 1).end()).as(phone + " dialed again while its call was up").isNotNull();
            }
        });
    }
}

package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three {@code serve} processes of the built jar in one cluster on loopback, one PostgreSQL database and one sandbox
 * PBX process; one campaign of 200 contacts (20 of each callee script: answers and presses 1 or 2, silent, busy and
 * retried once, no answer, congestion, machine, invalid number, rejected) with limits of {@value #LINES} lines and
 * {@value #PER_SECOND} calls a second. The design lets only the campaign's owner dial it; half way through, the owner
 * is stopped (SIGTERM: drain, then its leases are given up) and one of the two others takes the campaign over and
 * finishes it. From the PBX's side: every number dialed exactly as often as its attempt rules allow (busy twice,
 * the others once), never while its previous call was up, the line and rate limits never exceeded across the
 * nodes and the owner change. From the database: the contact counters add up to exactly 200, all closed, and agree
 * with results.csv, whose attempt count per contact equals the PBX's calls to its number.
 */
class ClusterExactCountsIT {
    private static final String CAMPAIGN = "bb-exact";
    private static final int CONTACTS = 200;
    private static final int LINES = 8;
    private static final int PER_SECOND = 4;
    private static final int NODES = 3;
    /** Moments two live nodes both said in /ready that they dial the campaign (must stay empty). */
    private static final List<String> TWO_DIALING = new java.util.concurrent.CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    /** Contact id → national number: 20 per last digit, each number unique. */
    private static Map<String, String> contacts() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < CONTACTS; i++) {
            m.put("c" + i, String.format("0612345%03d", i));
        }
        return m;
    }

    private static Map<String, String> node(int i, int[] http, int[] cluster, String name, String db, Path data,
                                            int pbxPort) {
        String others = IntStream.range(0, NODES).filter(j -> j != i).mapToObj(j -> "127.0.0.1:" + cluster[j])
            .collect(Collectors.joining(","));
        return Processes.clusterNode("bb-exact-" + i, http[i], cluster[i], others, name, db, data, pbxPort);
    }

    @Test
    @Timeout(900)
    void threeNodesOneCampaignOwnerStoppedHalfWayEveryContactDialedExactlyOnce() throws Exception {
        threeNodes(false);
    }

    /**
     * As above with the owner killed ({@code kill -9}) half way: its calls stay up at the PBX and are reconciled by
     * the new owner. An attempt the killed node had stored before its originate reached the PBX ends LOST (it may
     * have been placed) and closes the contact by the rules, so such a contact shows at most its allowed calls,
     * maybe none; every other contact is dialed exactly as often as its rules allow.
     */
    @Test
    @Timeout(900)
    void threeNodesOneCampaignOwnerKilledHalfWayNothingDialedTwiceNothingLost() throws Exception {
        threeNodes(true);
    }

    private void threeNodes(boolean kill) throws Exception {
        TWO_DIALING.clear();
        int pbxPort = TestConfigs.freePort();
        int[] http = new int[NODES];
        int[] cluster = new int[NODES];
        for (int i = 0; i < NODES; i++) {
            http[i] = TestConfigs.freePort();
            cluster[i] = TestConfigs.freePort();
        }
        String name = "outdial-exact-" + http[0];
        String db = EmbeddedPostgres.get().createDatabase();
        try (Processes procs = new Processes(dir)) {
            procs.keepingLogs("cluster-exact-counts-" + (kill ? "killed" : "stopped") + "-logs",
                List.of("node-0.log", "node-1.log", "node-2.log", "pbx.log"),
                () -> run(procs, pbxPort, http, cluster, name, db, kill));
        }
    }

    private void run(Processes procs, int pbxPort, int[] http, int[] cluster, String name, String db, boolean kill)
            throws Exception {
        Map<String, String> contacts = contacts();
        procs.pbx(pbxPort);
        try (PbxObserver pbx = new PbxObserver(pbxPort)) {
            Process[] nodes = new Process[NODES];
            for (int i = 0; i < NODES; i++) {
                nodes[i] = procs.dialer("node-" + i + ".log", node(i, http, cluster, name, db,
                    dir.resolve("data-" + i), pbxPort), "serve");
            }
            for (int i = 0; i < NODES; i++) {
                Processes.awaitReady(nodes[i], http[i], Duration.ofSeconds(180));
            }
            procs.adminToken(node(0, http, cluster, name, db, dir.resolve("data-0"), pbxPort));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> Processes.get(http[0], "/ready").body().contains(NODES + " member(s)"));

            ok(Processes.send(http[0], "PUT", "/api/v1/flows/bb-survey", "application/yaml",
                Scenario.flowYaml("bb-survey", false)), 201);
            ok(Processes.send(http[1], "POST", "/api/v1/campaigns", "application/json",
                Scenario.campaignJson(CAMPAIGN, "bb-survey", LINES, PER_SECOND)), 201);
            StringBuilder csv = new StringBuilder("id,name,phone\n");
            contacts.forEach((id, phone) -> csv.append(id).append(",Name ").append(id).append(',').append(phone)
                .append('\n'));
            HttpResponse<String> imp = Processes.send(http[2], "POST", "/api/v1/campaigns/" + CAMPAIGN
                + "/imports?name=contacts.csv", "text/csv", csv.toString());
            ok(imp, 202);
            String importId = String.valueOf(new JsonObject(imp.body()).getValue("importId"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                new JsonObject(Processes.get(http[2], "/api/v1/imports/" + importId).body()).getString("state")
                    .equals("COMPLETED"));
            assertThat(counters(http[0]).getInteger("total")).isEqualTo(CONTACTS);
            ok(Processes.send(http[1], "POST", "/api/v1/campaigns/" + CAMPAIGN + "/state", "application/json",
                "{\"state\": \"RUNNING\"}"), 200);

            // exactly one node dials it; the others follow
            int owner = awaitSingleOwner(http, new boolean[NODES]);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                .until(() -> pbx.calls().size() >= CONTACTS / 2);
            // half way: the owner is stopped (SIGTERM: it drains its calls, then gives its leases up) or killed
            if (kill) {
                nodes[owner].destroyForcibly();
            } else {
                nodes[owner].destroy();
            }
            assertThat(Processes.ends(nodes[owner], 90)).as("the stopped node ends").isTrue();
            int callsAtStop = pbx.calls().size();
            boolean[] gone = new boolean[NODES];
            gone[owner] = true;
            int survivor = awaitSingleOwner(http, gone);
            System.out.println("exact counts: node " + owner + (kill ? " killed" : " stopped") + " after " + callsAtStop
                + " originations, node " + survivor + " took over");

            await().atMost(Duration.ofSeconds(480)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> new JsonObject(Processes.get(http[survivor], "/api/v1/campaigns/" + CAMPAIGN).body())
                    .getString("state").equals("FINISHED"));
            assertThat(pbx.calls().size()).as("the survivor dialed the rest").isGreaterThan(callsAtStop);

            HttpResponse<String> res = Processes.get(http[survivor], "/api/v1/campaigns/" + CAMPAIGN
                + "/results.csv");
            ok(res, 200);
            Map<String, Map<String, String>> results = Scenario.results(res.body());
            assertExactlyOncePerAttempt(contacts, results, pbx, kill);
            for (int i = 0; i < NODES; i++) {
                if (!gone[i]) {
                    assertExactCounters(counters(http[i]), results, kill);
                }
            }
            assertThat(pbx.mostOriginationsIn(1000 - Scenario.STAMP_JITTER_MS))
                .as("originations in any sliding 1 s window, less the PBX's stamping jitter")
                .isLessThanOrEqualTo(PER_SECOND);
            assertThat(pbx.mostLinesUp()).as("lines up at once across the nodes").isLessThanOrEqualTo(LINES);
            assertThat(TWO_DIALING).as("two owners at once").isEmpty();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> Processes.get(http[survivor], "/ready").body().contains((NODES - 1) + " member(s)"));
        }
    }

    /** The one live node whose /ready says it dials the campaign while every other live node says another does. */
    private static int awaitSingleOwner(int[] http, boolean[] gone) {
        int[] owner = {-1};
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
            .until(() -> {
                int dialing = -1;
                int others = 0;
                int live = 0;
                for (int i = 0; i < http.length; i++) {
                    if (gone[i]) {
                        continue;
                    }
                    live++;
                    String status = Processes.campaignStatus(http[i], CAMPAIGN);
                    if (status.startsWith("dialing")) {
                        if (dialing >= 0) {
                            TWO_DIALING.add("nodes " + dialing + " and " + i + " both said they dial " + CAMPAIGN);
                        }
                        dialing = i;
                    } else if (status.contains("another node")) {
                        others++;
                    }
                }
                owner[0] = dialing;
                return dialing >= 0 && others == live - 1;
            });
        return owner[0];
    }

    private static JsonObject counters(int port) throws Exception {
        HttpResponse<String> r = Processes.get(port, "/api/v1/campaigns/" + CAMPAIGN);
        ok(r, 200);
        return new JsonObject(r.body()).getJsonObject("counters");
    }

    /**
     * Every contact closed and dialed as often as its script and the rules allow, as the PBX saw it; with
     * {@code killed}, a contact whose last attempt ended LOST may show fewer calls (and one stored attempt more than
     * the PBX saw), never more.
     */
    private static void assertExactlyOncePerAttempt(Map<String, String> contacts,
                                                    Map<String, Map<String, String>> results, PbxObserver pbx,
                                                    boolean killed) {
        assertThat(results).containsOnlyKeys(contacts.keySet());
        Map<String, List<PbxObserver.Call>> byNumber = pbx.byNumber();
        List<String> problems = new ArrayList<>();
        int expectedTotal = 0;
        int lostCalls = 0;
        for (Map.Entry<String, String> c : contacts.entrySet()) {
            String e164 = Scenario.e164(c.getValue());
            char digit = e164.charAt(e164.length() - 1);
            Map<String, String> row = results.get(c.getKey());
            List<PbxObserver.Call> calls = byNumber.getOrDefault(e164, List.of());
            int expected = Scenario.expectedDials(digit);
            expectedTotal += expected;
            if (!"CLOSED".equals(row.get("state"))) {
                problems.add(c.getKey() + " not closed: " + row);
            }
            boolean lost = killed && "LOST".equals(row.get("last_outcome"));
            if (lost) {
                lostCalls += expected - calls.size();
            }
            if (lost ? calls.size() > expected : calls.size() != expected) {
                problems.add(c.getKey() + " " + e164 + " dialed " + calls.size() + " times, expected "
                    + (lost ? "at most " : "") + expected + ": " + row);
            }
            int attempts = Integer.parseInt(row.get("attempts"));
            if (lost ? attempts != calls.size() && attempts != calls.size() + 1 : attempts != calls.size()) {
                problems.add(c.getKey() + " has " + attempts + " attempt(s) stored, the PBX saw "
                    + calls.size() + " call(s): " + row);
            }
            for (int i = 1; i < calls.size(); i++) {
                PbxObserver.Call before = calls.get(i - 1);
                if (before.end() == null || calls.get(i).start() - before.end() < Scenario.BUSY_RETRY_SECONDS * 1000L) {
                    problems.add(c.getKey() + " dialed again before its retry delay after its previous call");
                }
            }
            String result = lost ? "EXHAUSTED" : Scenario.EXPECTED_RESULT.get(digit);
            if (result != null && !result.equals(row.get("outcome"))) {
                problems.add(c.getKey() + " (script " + digit + ") ended " + row.get("outcome") + ", expected "
                    + result + ": " + row + ", PBX: " + calls);
            }
        }
        System.out.println("exact counts: " + pbx.calls().size() + " originations, " + lostCalls
            + " call(s) not placed because their attempt ended LOST at the takeover");
        assertThat(problems).as("per contact, PBX view against the stored results").isEmpty();
        assertThat(pbx.calls()).as("originations in all").hasSize(expectedTotal - lostCalls);
    }

    /** The stored counters: nothing left open, the closed kinds add up to 200 and agree with results.csv. */
    private static void assertExactCounters(JsonObject counters, Map<String, Map<String, String>> results,
                                            boolean killed) {
        Map<String, Long> outcomes = results.values().stream()
            .collect(Collectors.groupingBy(r -> r.get("outcome"), Collectors.counting()));
        assertThat(counters.getInteger("total")).as(counters.encode()).isEqualTo(CONTACTS);
        assertThat(counters.getInteger("availableNow")).as(counters.encode()).isZero();
        assertThat(counters.getInteger("planned")).as(counters.encode()).isZero();
        assertThat(counters.getInteger("inProgress")).as(counters.encode()).isZero();
        assertThat(counters.getInteger("closedSuccess") + counters.getInteger("closedNoSuccess")
            + counters.getInteger("exhausted") + counters.getInteger("noValidNumber")).as(counters.encode())
            .isEqualTo(CONTACTS);
        assertThat(counters.getInteger("closedSuccess").longValue()).as(counters.encode() + " vs " + outcomes)
            .isEqualTo(outcomes.getOrDefault("SUCCESS", 0L));
        assertThat(counters.getInteger("closedNoSuccess").longValue()).as(counters.encode() + " vs " + outcomes)
            .isEqualTo(outcomes.getOrDefault("FAILURE", 0L));
        assertThat(counters.getInteger("exhausted").longValue()).as(counters.encode() + " vs " + outcomes)
            .isEqualTo(outcomes.getOrDefault("EXHAUSTED", 0L));
        assertThat(counters.getInteger("noValidNumber").longValue()).as(counters.encode() + " vs " + outcomes)
            .isEqualTo(outcomes.getOrDefault("NO_VALID_NUMBER", 0L));
        if (!killed) {
            assertThat(counters.getInteger("closedSuccess")).as(counters.encode()).isEqualTo(CONTACTS / 10 * 2);
            assertThat(counters.getInteger("noValidNumber")).as(counters.encode()).isEqualTo(CONTACTS / 10);
        }
    }
}

package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} processes in one cluster (one PostgreSQL, one sandbox PBX), each reading the campaign table only
 * every {@link #PERIODIC_READ} ({@code dialing.reconcileInterval}): a campaign's definition edited through the node
 * that does not own it reaches the owner far sooner than that read.
 * <ul>
 * <li>A SCHEDULED campaign whose start time is replaced ({@code PUT}) by one in the past starts on its owner at
 * once.</li>
 * <li>A running campaign paused, edited (3 lines to 1) and resumed through the other node while its calls are still
 * up dials again on its owner with the new limit as soon as those calls ended.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCampaignEditIT {
    private static final Duration PERIODIC_READ = Duration.ofSeconds(180);
    /** How soon the owner must apply an edit: well under {@link #PERIODIC_READ}. */
    private static final Duration AT_ONCE = Duration.ofSeconds(45);
    private static final String FLOW = "bb-edit-survey";
    private static final String LOGS = "cluster-campaign-edit-logs";
    @TempDir
    static Path dir;
    private Processes procs;
    private PbxObserver pbx;
    private TwoNodes two;

    @BeforeAll
    void startTwoNodes() throws Exception {
        two = TwoNodes.create("bb-edit-", dir, Map.of("DIALER_DIALING_RECONCILE_INTERVAL",
            PERIODIC_READ.toSeconds() + "s"));
        procs = new Processes(dir);
        procs.keepingLogs(LOGS, logs(), () -> {
            procs.pbx(two.pbxPort());
            pbx = new PbxObserver(two.pbxPort());
            two.start(procs);
            ok(Processes.send(two.http()[0], "PUT", "/api/v1/flows/" + FLOW, "application/yaml",
                Scenario.flowYaml(FLOW, false)), 201);
        });
    }

    @AfterAll
    void stop() {
        if (pbx != null) {
            pbx.close();
        }
        if (procs != null) {
            procs.close();
        }
    }

    private static List<String> logs() {
        return List.of("node-0.log", "node-1.log", "pbx.log");
    }

    /** The campaign of {@link Scenario#campaignJson} with {@code lines} and, when not null, a start time. */
    private static String campaign(String id, int lines, Instant startsAt) {
        JsonObject c = new JsonObject(Scenario.campaignJson(id, FLOW, lines, 2));
        if (startsAt != null) {
            c.put("startsAt", startsAt.toString());
        }
        return c.encode();
    }

    /** The calls the PBX saw to numbers of {@code nationalPrefix} ("06 12 4" → +336124...). */
    private static Predicate<PbxObserver.Call> to(String nationalPrefix) {
        String e164 = Scenario.e164(nationalPrefix);
        return c -> c.number().contains(e164);
    }

    /**
     * Creates campaign {@code id} through node 0 ({@code lines}, {@code startsAt} or none) with {@code contacts}
     * answering callees of {@code numbers}, moves it to {@code state} there and returns its owner, once one shows it
     * ({@code ownerStatus}).
     */
    private int begin(String id, Instant startsAt, String numbers, int contacts, String state,
                      Predicate<String> ownerStatus) throws Exception {
        int[] http = two.http();
        ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json", campaign(id, 3, startsAt)), 201);
        Processes.importContacts(http[0], id, Scenario.answeringCsv(1, numbers, contacts));
        Processes.state(http[0], id, state);
        return two.owner(id, ownerStatus);
    }

    @Test
    @Timeout(300)
    void aStartTimeReplacedThroughTheOtherNodeStartsTheScheduledCampaignOnItsOwnerAtOnce() throws Exception {
        procs.keepingLogs(LOGS, logs(), () -> {
            String id = "bb-edit-start";
            String numbers = "06 12 4";
            int[] http = two.http();
            int a = begin(id, Instant.now().plus(Duration.ofDays(1)), numbers, 6, "SCHEDULED", s -> !s.isEmpty());
            int b = 1 - a;
            assertThat(Processes.campaignStatus(http[b], id)).contains("dialed by another node");
            assertThat(pbx.calls().stream().filter(to(numbers))).as("nothing dialed before the start time").isEmpty();

            long sent = System.currentTimeMillis();
            ok(Processes.send(http[b], "PUT", "/api/v1/campaigns/" + id, "application/json",
                campaign(id, 3, Instant.now().minus(Duration.ofMinutes(1)))), 200);
            await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> Processes.campaignStatus(http[a], id).startsWith("dialing"));
            long dialing = System.currentTimeMillis();
            await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(100))
                .until(() -> pbx.calls().stream().anyMatch(to(numbers)));
            long firstCall = pbx.calls().stream().filter(to(numbers)).mapToLong(PbxObserver.Call::start).min()
                .orElseThrow();
            System.out.println("start time replaced through node " + b + ": owner " + a + " dialing "
                + (dialing - sent) + " ms after the PUT was sent, first origination at the PBX " + (firstCall - sent)
                + " ms after it (periodic read every " + PERIODIC_READ.toSeconds() + " s)");
            assertThat(new JsonObject(Processes.get(http[a], "/api/v1/campaigns/" + id).body()).getString("state"))
                .isEqualTo("RUNNING");
        });
    }

    @Test
    @Timeout(300)
    void aLineLimitLoweredThroughTheOtherNodeInAPauseIsDialedByTheOwnerAsSoonAsItsCallsEnded() throws Exception {
        procs.keepingLogs(LOGS, logs(), () -> {
            String id = "bb-edit-lines";
            String numbers = "06 12 5";
            int[] http = two.http();
            int a = begin(id, null, numbers, 60, "RUNNING", s -> s.startsWith("dialing"));
            int b = 1 - a;
            Predicate<PbxObserver.Call> ours = to(numbers);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> pbx.calls().stream().filter(ours).filter(c -> c.end() == null).count() >= 2);

            // pause, edit and resume through the node that does not dial it, while its calls are up on the owner
            Processes.state(http[b], id, "PAUSED");
            ok(Processes.send(http[b], "PUT", "/api/v1/campaigns/" + id, "application/json", campaign(id, 1, null)),
                200);
            Processes.state(http[b], id, "RUNNING");
            long resumed = System.currentTimeMillis();
            long upAtResume = pbx.calls().stream().filter(ours).filter(c -> c.end() == null).count();
            await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(100))
                .until(() -> pbx.calls().stream().filter(ours).anyMatch(c -> c.start() > resumed));
            long again = pbx.calls().stream().filter(ours).filter(c -> c.start() > resumed)
                .mapToLong(PbxObserver.Call::start).min().orElseThrow();
            long lastOldEnd = pbx.calls().stream().filter(ours).filter(c -> c.start() <= resumed)
                .mapToLong(c -> c.end() == null ? Long.MAX_VALUE : c.end()).max().orElseThrow();
            JsonObject onOwner = new JsonObject(Processes.get(http[a], "/api/v1/campaigns/" + id).body());
            assertThat(onOwner.getJsonObject("definition").getJsonObject("limits").getInteger("lines")).isEqualTo(1);
            assertThat(Processes.campaignStatus(http[a], id)).startsWith("dialing");
            assertThat(Processes.campaignStatus(http[b], id)).contains("dialed by another node");

            // the new limit holds: one line at a time from the resume on
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> pbx.calls().stream().filter(ours).filter(c -> c.start() > resumed && c.end() != null)
                    .count() >= 3);
            int mostAfter = pbx.mostLinesUp(ours.and(c -> c.start() > resumed));
            System.out.println("pause, 3 → 1 lines, resume through node " + b + " with " + upAtResume
                + " call(s) up on owner " + a + ": the old calls ended " + (lastOldEnd - resumed)
                + " ms after the resume, the owner dialed again " + (again - resumed) + " ms after it; at most "
                + mostAfter + " line(s) up at once since (periodic read every " + PERIODIC_READ.toSeconds() + " s)");
            assertThat(mostAfter).as("lines up at once after the edit").isEqualTo(1);
            assertThat(again).as("no new call before the old ones ended (PBX stamps)")
                .isGreaterThanOrEqualTo(lastOldEnd - Scenario.STAMP_JITTER_MS);
        });
    }
}

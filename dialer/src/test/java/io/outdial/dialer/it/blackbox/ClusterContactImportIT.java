package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} processes in one cluster (one PostgreSQL, one sandbox PBX), each reading the campaign table only
 * every 60 s and a dialing campaign's counters only every {@link #PERIODIC_READ}. Contacts imported through the node
 * that does not own a running campaign are counted by the owner (its API's live counters) and dialed by it far
 * sooner than that read; the non-owner's live feed shows the campaign's line gauge with its configured limit and the
 * lines its owner holds.
 */
class ClusterContactImportIT {
    private static final String CAMPAIGN = "bb-import";
    private static final String FLOW = "bb-import-survey";
    private static final Duration PERIODIC_READ = Duration.ofSeconds(300);
    /** How soon the owner must count and dial the imported contacts: well under {@link #PERIODIC_READ}. */
    private static final Duration AT_ONCE = Duration.ofSeconds(30);
    private static final int LINES = 3;
    private static final int CONTACTS = 12;
    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void contactsImportedThroughTheNonOwnerAreCountedAndDialedByTheOwnerAtOnce() throws Exception {
        TwoNodes two = TwoNodes.create("bb-import-", dir, Map.of("DIALER_DIALING_RECONCILE_INTERVAL", "60s",
            "DIALER_DIALING_COUNTER_READ_INTERVAL", PERIODIC_READ.toSeconds() + "s"));
        two.run("cluster-contact-import-logs", this::run);
    }

    private void run(Processes procs, TwoNodes two) throws Exception {
        int[] http = two.http();
        procs.pbx(two.pbxPort());
        try (PbxObserver pbx = new PbxObserver(two.pbxPort())) {
            two.start(procs);
            ok(Processes.send(http[0], "PUT", "/api/v1/flows/" + FLOW, "application/yaml",
                Scenario.flowYaml(FLOW, false)), 201);
            // no contact yet: always active, so it keeps running, waiting for contacts
            JsonObject campaign = new JsonObject(Scenario.campaignJson(CAMPAIGN, FLOW, LINES, 2))
                .put("alwaysActive", true);
            ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json", campaign.encode()), 201);
            Processes.state(http[0], CAMPAIGN, "RUNNING");
            int a = two.owner(CAMPAIGN, status -> status.contains("no contacts waiting"));
            int b = 1 - a;
            assertThat(counters(http[a]).getLong("total")).isZero();

            Processes.importContacts(http[b], CAMPAIGN, Scenario.answeringCsv(1, "06 12 7", CONTACTS));
            long imported = System.currentTimeMillis();
            await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(50))
                .until(() -> counters(http[a]).getLong("total") == CONTACTS);
            long counted = System.currentTimeMillis();
            JsonObject seen = counters(http[a]);
            await().atMost(AT_ONCE).pollInterval(Duration.ofMillis(50)).until(() -> !pbx.calls().isEmpty());
            long dialed = pbx.calls().get(0).start();
            System.out.println("import of " + CONTACTS + " contacts through the non-owner: the owner's API counted"
                + " them " + (counted - imported) + " ms after the import completed (" + seen.encode()
                + "), the PBX saw its first call " + (dialed - imported) + " ms after it");
            assertThat(seen.getLong("availableNow") + seen.getLong("inProgress") + seen.getLong("closedSuccess")
                + seen.getLong("closedNoSuccess") + seen.getLong("planned")).as(seen.encode()).isEqualTo(CONTACTS);

            // the non-owner's live feed: the campaign's line gauge with its limit and the owner's lines
            JsonObject event = ClusterLiveFeedIT.firstEvent(http[b], e -> {
                JsonObject l = campaignLines(e);
                return l != null && l.getValue("limit") != null && l.getLong("inUse", 0L) > 0;
            });
            JsonObject gauge = campaignLines(event);
            System.out.println("the non-owner's campaign line gauge: " + gauge.encode());
            assertThat(gauge.getLong("limit")).as(event.encode()).isEqualTo(LINES);
            assertThat(gauge.getLong("inUse")).as(event.encode()).isBetween(1L, (long) LINES);
            assertThat(Processes.campaignStatus(http[b], CAMPAIGN)).contains("dialed by another node");
        }
    }

    /** The live counters of the campaign as the node's API answers them. */
    private static JsonObject counters(int port) throws Exception {
        return new JsonObject(Processes.get(port, "/api/v1/campaigns/" + CAMPAIGN).body()).getJsonObject("counters");
    }

    /** The campaign's entry of the feed's {@code lines}, or null. */
    private static JsonObject campaignLines(JsonObject event) {
        JsonArray lines = event.getJsonArray("lines", new JsonArray());
        for (int i = 0; i < lines.size(); i++) {
            JsonObject l = lines.getJsonObject(i);
            if ("campaign".equals(l.getString("level")) && CAMPAIGN.equals(l.getString("name"))) {
                return l;
            }
        }
        return null;
    }
}

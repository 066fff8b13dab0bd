package io.outdial.dialer.it.blackbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.outdial.dialer.it.blackbox.Processes.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code serve} processes in one cluster (one PostgreSQL, one sandbox PBX), each reading the campaign table
 * only every 60 s ({@code dialing.reconcileInterval}). The live feed (Server-Sent Events over HTTP with a token) of
 * the node that does not dial the campaign shows the owner's lines and calls, per node and in total; a pause given
 * to that non-owner's API reaches the owner through the cluster at once: no originate of the campaign reaches the
 * PBX after the pause was acknowledged plus {@link #GRACE_MS} (requests already on the wire), far less than the 60 s
 * the owner would otherwise take to read the pause.
 */
class ClusterLiveFeedIT {
    private static final String CAMPAIGN = "bb-live";
    /** Originates already sent when the pause was acknowledged may still reach the PBX within this. */
    private static final long GRACE_MS = 3_000;
    private static final int CONTACTS = 40;
    @TempDir
    Path dir;

    @Test
    @Timeout(420)
    void aNonOwnersLiveFeedShowsTheOwnersCallsAndItsPauseStopsTheOwnerAtOnce() throws Exception {
        TwoNodes two = TwoNodes.create("bb-live-", dir, Map.of("DIALER_DIALING_RECONCILE_INTERVAL", "60s"));
        two.run("cluster-live-feed-logs", this::run);
    }

    private void run(Processes procs, TwoNodes two) throws Exception {
        int[] http = two.http();
        procs.pbx(two.pbxPort());
        try (PbxObserver pbx = new PbxObserver(two.pbxPort())) {
            two.start(procs);
            ok(Processes.send(http[0], "PUT", "/api/v1/flows/bb-survey", "application/yaml",
                Scenario.flowYaml("bb-survey", false)), 201);
            ok(Processes.send(http[0], "POST", "/api/v1/campaigns", "application/json",
                Scenario.campaignJson(CAMPAIGN, "bb-survey", 3, 1)), 201);
            Processes.importContacts(http[0], CAMPAIGN, Scenario.answeringCsv(200, "06 12 3", CONTACTS));
            // started through node 0: with a 60 s table read, only the cluster's change message starts it soon
            Processes.state(http[0], CAMPAIGN, "RUNNING");
            int a = two.dialing(CAMPAIGN);
            int b = 1 - a;

            // the non-owner's live feed: the owner's lines and calls, per node and in total
            JsonObject seen = firstEvent(http[b], e -> {
                JsonObject other = node(e, false);
                JsonObject c = campaign(e);
                return other != null && other.getLong("lines", 0L) > 0 && other.getLong("liveCalls", 0L) > 0
                    && c != null && c.getLong("liveCalls", 0L) > 0 && e.getJsonObject("cluster") != null
                    && e.getJsonObject("cluster").getLong("liveCalls", 0L) > 0;
            });
            System.out.println("live feed of the non-owner: nodes " + seen.getJsonArray("nodes").encode()
                + ", cluster " + seen.getJsonObject("cluster").encode());
            JsonObject ownerNode = node(seen, false);
            assertThat(ownerNode.getJsonObject("campaigns").getLong(CAMPAIGN)).as(seen.encode()).isPositive();
            assertThat(node(seen, true).getLong("liveCalls")).as("the non-owner dials nothing: " + seen.encode())
                .isZero();
            assertThat(seen.getJsonObject("cluster").getInteger("members")).isEqualTo(2);
            assertThat(seen.getJsonObject("cluster").getLong("linesInUse")).as(seen.encode())
                .isLessThanOrEqualTo(Scenario.LINES);
            assertThat(campaign(seen).getJsonObject("liveCallsByNode").getLong(ownerNode.getString("node")))
                .as(seen.encode()).isPositive();
            // and the owner's feed lists the non-owner too
            JsonObject fromOwner = firstEvent(http[a], e -> node(e, false) != null && node(e, true) != null);
            assertThat(fromOwner.getJsonArray("nodes")).hasSize(2);

            // a pause given to the non-owner, while the owner dials, stops the owner's originations at once
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> pbx.calls().size() >= 3);
            int callsBefore = pbx.calls().size();
            Processes.state(http[b], CAMPAIGN, "PAUSED");
            long acknowledged = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> !Processes.campaignStatus(http[a], CAMPAIGN).startsWith("dialing"));
            long ownerStopped = System.currentTimeMillis();
            // every call of the campaign ends, and the PBX stays quiet a while after that
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> pbx.calls().stream().allMatch(c -> c.end() != null));
            Thread.sleep(GRACE_MS);
            List<PbxObserver.Call> late = pbx.calls().stream().filter(c -> c.start() > acknowledged + GRACE_MS)
                .toList();
            System.out.println("pause via the non-owner: owner's runner left dialing " + (ownerStopped - acknowledged)
                + " ms after the acknowledgement; " + callsBefore + " originations before, " + pbx.calls().size()
                + " in all, " + late.size() + " later than the grace");
            assertThat(late).as("originations after the pause was acknowledged + %d ms", GRACE_MS).isEmpty();
            assertThat(pbx.calls().size()).as("the pause came while contacts were left").isLessThan(CONTACTS);
            assertThat(new JsonObject(Processes.get(http[a], "/api/v1/campaigns/" + CAMPAIGN).body())
                .getString("state")).isEqualTo("PAUSED");
        }
    }

    /** This node's ({@code self}) or another node's entry of the feed's {@code nodes}, or null. */
    private static JsonObject node(JsonObject event, boolean self) {
        JsonArray nodes = event.getJsonArray("nodes");
        if (nodes == null) {
            return null;
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.getJsonObject(i).getBoolean("self", false) == self) {
                return nodes.getJsonObject(i);
            }
        }
        return null;
    }

    private static JsonObject campaign(JsonObject event) {
        JsonArray campaigns = event.getJsonArray("campaigns", new JsonArray());
        for (int i = 0; i < campaigns.size(); i++) {
            if (CAMPAIGN.equals(campaigns.getJsonObject(i).getString("id"))) {
                return campaigns.getJsonObject(i);
            }
        }
        return null;
    }

    /** Reads the node's live feed until an event matches (at most 60 s), as a browser with the token would. */
    static JsonObject firstEvent(int port, Predicate<JsonObject> wanted) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ui/live"))
            .header("Authorization", "Bearer " + Processes.token).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> res = client.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(res.statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        try (Stream<String> lines = res.body()) {
            Iterator<String> it = lines.iterator();
            while (System.nanoTime() < deadline && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data: ")) {
                    last = new JsonObject(line.substring(6));
                    if (wanted.test(last)) {
                        return last;
                    }
                }
            }
        }
        throw new AssertionError("no matching live feed event within 60 s; last: "
            + (last == null ? "none" : last.encode()));
    }
}

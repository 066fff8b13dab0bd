package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clustered serving nodes (two Hazelcast members in one JVM) on one PostgreSQL database and one sandbox PBX: node
 * A alone takes both running campaigns; when B joins, A gives one up and B dials it, and no contact is dialed twice.
 */
class ClusterRebalanceIT {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRebalanceIT.class);
    private static final int CONTACTS = 20;

    @TempDir
    Path dir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp a;
    private DialerApp b;

    @AfterEach
    void stop() {
        for (DialerApp app : new DialerApp[] {b, a}) {
            if (app != null) {
                Await.result(app.stop(), 90);
            }
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    @Test
    @Timeout(400)
    void aNodeThatJoinsGetsAShareOfTheRunningCampaignsAndNoContactIsDialedTwice() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        String url = EmbeddedPostgres.get().createDatabase();
        String name = "outdial-rebalance-" + TestConfigs.freePort();
        int portA = TestConfigs.freePort();
        int portB = TestConfigs.freePort();
        a = node(url, dir.resolve("a"), new ClusterConfig(name, "127.0.0.1", portA, true,
            List.of("127.0.0.1:" + portB)));
        ApiTestClient api = ApiTestClient.admin(a);
        for (String id : List.of("one", "two")) {
            campaign(api, a, id);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ownedBy(a).size() == 2);

        long joined = System.nanoTime();
        b = node(url, dir.resolve("b"), new ClusterConfig(name, "127.0.0.1", portB, true,
            List.of("127.0.0.1:" + portA)));
        await().atMost(Duration.ofSeconds(60)).until(() -> a.cluster().memberCount() == 2);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
            .until(() -> ownedBy(a).size() == 1 && ownedBy(b).size() == 1);
        LOG.info("B dials a campaign {} ms after it started to join", (System.nanoTime() - joined) / 1_000_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> callsBy(b) > 0);

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() ->
            List.of("one", "two").stream().allMatch(id -> "FINISHED".equals(api.get("/api/v1/campaigns/" + id)
                .json().getString("state"))));
        List<Long> dialedTwice = Rows.list(a.database().dataSource(), "contacts dialed twice",
            "SELECT COUNT(*) FROM call_records GROUP BY campaign_id, contact_id HAVING COUNT(*) > 1", rs -> rs.getLong(1));
        assertThat(dialedTwice).as("contacts dialed more than once").isEmpty();
        assertThat(Rows.count(a.database().dataSource(), "calls", "SELECT COUNT(*) FROM call_records"))
            .isEqualTo(2L * CONTACTS);
        assertThat(callsBy(b)).as("calls placed by the node that joined").isPositive();
    }

    /** The campaigns whose owner lease {@code app} holds now. */
    private static List<String> ownedBy(DialerApp app) {
        String me = app.cluster().memberId();
        List<String> out = new ArrayList<>();
        app.cluster().owners().forEach((campaign, owner) -> {
            if (owner.equals(me) && !campaign.startsWith("cascade")) {
                out.add(campaign);
            }
        });
        return out;
    }

    private static long callsBy(DialerApp app) {
        return Rows.count(app.database().dataSource(), "calls of a node", "SELECT COUNT(*) FROM call_records"
            + " WHERE node_id = ?", app.cluster().memberId());
    }

    private DialerApp node(String url, Path data, ClusterConfig cluster) {
        DialerConfig config = TestConfigs.clusteredOnPbx(url, data, cluster, pbx.port());
        DialerApp app = DialerApp.create(config);
        CampaignRunners runners = Wiring.campaignRunners(app, Wiring.ownership(app), null);
        app.add(runners);
        app.add(Wiring.api(app, runners));
        Await.result(app.start(), 180);
        return app;
    }

    /** A campaign of {@link #CONTACTS} callees who do not answer (each call rings 4 s), one line, started. */
    private static void campaign(ApiTestClient api, DialerApp node, String id) {
        JsonObject def = new JsonObject().put("id", id).put("region", "FR")
            .put("trunk", new JsonObject().put("name", "carrier")).put("limits", new JsonObject().put("lines", 1))
            .put("attempts", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("outcome", "NO_ANSWER").put("close", "EXHAUSTED"))));
        Res created = api.postJson("/api/v1/campaigns", def);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        List<JdbcContactStore.NewContact> contacts = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            String phone = String.format("+336123%s%03d5", id.equals("one") ? "41" : "42", i);
            contacts.add(new JdbcContactStore.NewContact(id, "C" + i, new PhoneSet(List.of(new Phone("mobile", phone,
                0, false))), "UTC", Map.of("name", "C" + i), ContactState.WAITING, null,
                Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(node.database().dataSource()).insertAll(contacts);
        Res started = api.postJson("/api/v1/campaigns/" + id + "/state", new JsonObject().put("state", "RUNNING")
            .put("force", true));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
    }
}

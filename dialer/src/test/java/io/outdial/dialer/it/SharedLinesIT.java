package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Campaigns of one node sharing the 8 lines of a configured trunk through the sandbox PBX (every call rings 3 s
 * then is busy): by weight 3:1 the lines split about 6:2 while both have due contacts; by priority the lower one
 * gets lines only once the higher one has none due, woken by the higher one's call ends.
 */
class SharedLinesIT {
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;
    private JdbcCampaignStore store;
    private DataSource ds;

    @BeforeEach
    void start() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.busy(Duration.ofSeconds(3)));
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "dialer",
                "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                8, 100, Duration.ofSeconds(30), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200))));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        ds = app.database().dataSource();
        store = new JdbcCampaignStore(ds, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 30);
        }
        Await.result(pbx.close());
        Await.result(pbxVertx.close());
    }

    private void campaign(String id, int priority, int weight, int contacts, int prefix) throws Exception {
        String def = new ObjectMapper().writeValueAsString(Map.of("id", id, "trunk", Map.of("name", "carrier",
            "maxLines", 30), "limits", Map.of("lines", 8), "region", "FR", "priority", priority, "weight", weight));
        store.create(CampaignFile.fromStored(id, def).draft(Instant.now()));
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            list.add(new JdbcContactStore.NewContact(id, "c" + i, new PhoneSet(List.of(new Phone("mobile",
                String.format("+336%d%06d", prefix, i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(ds).insertAll(list);
    }

    private void run(String id) {
        store.moveTo(store.get(id).orElseThrow(), CampaignState.RUNNING, "test");
    }

    private long live(String campaign) {
        return count("SELECT COUNT(*) FROM call_records WHERE campaign_id = '" + campaign + "' AND state <> 'ENDED'");
    }

    private long count(String sql) {
        return SqlCount.of(app.database(), sql);
    }

    @Test
    @Timeout(90)
    void weightsThreeToOneShareEightLinesAboutSixToTwo() throws Exception {
        campaign("heavy", 0, 3, 150, 1);
        campaign("light", 0, 1, 150, 2);
        run("heavy");
        run("light");
        await().atMost(Duration.ofSeconds(10)).until(() -> live("heavy") > 0 && live("light") > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> pbx.originateCount() >= 24); // a few call generations

        long[] sums = new long[4]; // heavy, light, samples, most lines: one sample every 100 ms for 6 s
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100))
            .until(() -> {
                long h = live("heavy");
                long l = live("light");
                sums[0] += h;
                sums[1] += l;
                sums[2]++;
                sums[3] = Math.max(sums[3], h + l);
                return true;
            });
        assertThat(sums[3]).as("the trunk's 8 lines hold across both campaigns, at every sample")
            .isLessThanOrEqualTo(8);
        long heavy = sums[0];
        long light = sums[1];
        long samples = sums[2];
        double h = (double) heavy / samples;
        double l = (double) light / samples;
        System.out.printf("SharedLinesIT: average live lines heavy %.2f, light %.2f over %d samples%n", h, l, samples);
        assertThat(h).as("heavy's average lines (weight 3)").isBetween(4.8, 7.0);
        assertThat(l).as("light's average lines (weight 1)").isBetween(1.0, 3.2);
        assertThat(h / l).as("ratio").isBetween(2.0, 4.5);
    }

    @Test
    @Timeout(60)
    void theLowerPriorityGetsLinesOnlyWhenTheHigherHasNoneDue() throws Exception {
        campaign("hi", 1, 1, 12, 3);
        campaign("lo", 0, 1, 100, 4);
        run("hi");
        await().atMost(Duration.ofSeconds(5)).until(() -> live("hi") == 8);
        run("lo");
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.get(app.httpPort(), "/ready").body()
            .contains(CampaignRunners.checkName("lo")));
        assertThat(live("lo")).isZero();
        // lo's runner is up and waiting: it has no call of its own; hi's call ends wake it once hi has none due.
        // Causal order, not clock order: lo's first attempt row is written after hi's last pick committed, so
        // once a lo row is visible no hi contact may still be unpicked (read in that order; the originate times
        // of the two campaigns' rows may interleave by a few ms since both are written on worker threads).
        long[] hiUnpickedAtLoFirst = {-1};
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5)).until(() -> {
            if (count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'lo'") == 0) {
                return false;
            }
            hiUnpickedAtLoFirst[0] = count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'hi'"
                + " AND state = 'WAITING' AND attempts = 0");
            return true;
        });
        assertThat(hiUnpickedAtLoFirst[0]).as("hi contacts never picked when lo got its first line").isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(count(
            "SELECT COUNT(DISTINCT contact_id) FROM call_records WHERE campaign_id = 'hi'"))
            .as("every hi contact dialed").isEqualTo(12));
        await().atMost(Duration.ofSeconds(10)).until(() -> live("lo") >= 6);
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.Telephony;
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
import io.outdial.dialer.trunk.TrunkHealth;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node with two Asterisk servers (two sandbox PBXes): the runner places each call on the ready server with the
 * fewest live calls, so calls spread over both; when one goes down the calls go to the other and no contact is
 * lost (its live calls end LOST once it is back and are retried by the rules); a trunk down on every ready server
 * stops dialing with {@code trunk_down} and it resumes when the trunk is back.
 */
class MultiServerCampaignIT {
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private final List<SandboxPbx> pbxes = new ArrayList<>();
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 30);
        }
        pbxes.forEach(p -> Await.result(p.close()));
        Await.result(pbxVertx.close());
    }

    private SandboxPbx pbx() {
        SandboxPbx p = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        p.scripts().register(".*", CalleeScript.busy(Duration.ofSeconds(2)));
        pbxes.add(p);
        return p;
    }

    private long count(String sql) {
        return SqlCount.of(app.database(), sql);
    }

    private String ready(String name) {
        JsonObject r = new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies")
            .stream().map(o -> (JsonObject) o).filter(d -> d.getString("name").equals(name)).findFirst()
            .orElseThrow();
        return r.getString("state") + " " + r.getString("detail");
    }

    @Test
    @Timeout(120)
    void callsSpreadOverTwoServersAndMoveToTheOtherWhenOneIsDown() throws Exception {
        SandboxPbx pbx1 = pbx();
        SandboxPbx pbx2 = pbx();
        app = DialerApp.create(TestConfigs.local(dataDir)
            .withAsterisk(List.of(
                new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx1.port(), "dialer", "dialer", "dialer"),
                new AriServerConfig("pbx2", "http://127.0.0.1:" + pbx2.port(), "dialer", "dialer", "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                50, 100, Duration.ofSeconds(5), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200))));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        String def = new ObjectMapper().writeValueAsString(Map.of("id", "multi", "trunk", Map.of("name", "carrier"),
            "limits", Map.of("lines", 8), "region", "FR"));
        store.create(CampaignFile.fromStored("multi", def).draft(Instant.now()));
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            list.add(new JdbcContactStore.NewContact("multi", "c" + i, new PhoneSet(List.of(new Phone("mobile",
                String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(ds).insertAll(list);
        store.moveTo(store.get("multi").orElseThrow(), CampaignState.RUNNING, "test");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> pbx1.originateCount() > 0 && pbx2.originateCount() > 0);
        assertThat(pbx1.liveCallCount() + pbx2.liveCallCount()).isLessThanOrEqualTo(8);

        Telephony telephony = app.telephony().telephony().orElseThrow();
        pbx2.faults().down().await();
        await().atMost(Duration.ofSeconds(10)).until(() -> !telephony.engine("pbx2").server().ready());
        long pbx1AtDown = pbx1.originateCount();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
            .until(() -> pbx1.originateCount() >= pbx1AtDown + 8);
        long onPbx2 = count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'multi' AND ari_server = 'pbx2'");
        assertThat(ready(CampaignRunners.checkName("multi"))).as("one server is enough: still dialing")
            .startsWith("UP dialing");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
            .until(() -> pbx1.originateCount() >= pbx1AtDown + 16);
        assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'multi' AND ari_server = 'pbx2'"))
            .as("no new call placed on the server that is down").isEqualTo(onPbx2);

        pbx2.faults().up().await();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'multi' AND attempts > 0"))
                .as("every contact dialed").isEqualTo(80);
            assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'multi' AND state = 'DIALING'"))
                .as("no contact left dialing").isZero();
            assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'multi' AND state <> 'ENDED'"))
                .as("every attempt ended and stored, the ones cut on pbx2 too").isZero();
        });

        // the trunk down on every ready server: trunk_down, DEGRADED; back: dialing resumes
        telephony.useTrunkHealth((server, trunk) -> Optional.of("503 from the carrier"));
        JdbcContactStore contacts = new JdbcContactStore(ds);
        contacts.insertAll(List.of(new JdbcContactStore.NewContact("multi", "late", new PhoneSet(List.of(
            new Phone("mobile", "+33612349999", 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
            Instant.now().minusSeconds(1))));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(ready(CampaignRunners.checkName("multi")))
                .isEqualTo("DEGRADED trunk_down: trunk carrier is down: 503 from the carrier"));
        assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'multi' AND ext_id = 'late'"
            + " AND attempts > 0")).isZero();
        telephony.useTrunkHealth(TrunkHealth.alwaysUp());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
            count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'multi' AND ext_id = 'late' AND attempts > 0")
                == 1);
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reconnect of the events websocket ({@code POST /telephony/servers/{name}/reconnect}) keeps live calls: the new
 * websocket is opened before the old one is closed, so no event (answer, key press, hang-up) is lost; and a stop
 * after Asterisk died with calls live does not wait for them.
 */
class ReconnectKeepsCallsIT {
    @TempDir
    Path dataDir;

    @Test
    @Timeout(30)
    void reconnectsDuringLiveCallsLoseNoCallAndNoKeyPress() {
        try (SandboxFixture f = new SandboxFixture()) {
            f.pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(100))
                .withDigits(Duration.ofMillis(300), "1").withDigits(Duration.ofMillis(600), "2")
                .withDigits(Duration.ofMillis(900), "3").withHangupAfter(Duration.ofMillis(1500)));
            AtomicInteger reconnects = new AtomicInteger();
            List<Future<CallRecord>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ScriptedFlow flow = new ScriptedFlow(s -> { }, (s, e) -> {
                    // every key press triggers a reconnect: later digits travel while websockets are swapped
                    if (e instanceof CallEvent.DtmfReceived) {
                        reconnects.incrementAndGet();
                        f.server.reconnect();
                    }
                });
                calls.add(f.call("+3361234500" + i, flow));
            }
            List<CallRecord> records = new ArrayList<>();
            calls.forEach(c -> records.add(c.await()));
            assertThat(records).allSatisfy(r -> {
                assertThat(r.outcome().kind()).as(r.outcome().detail()).isEqualTo(OutcomeKind.ANSWERED);
                assertThat(r.outcome().cause()).isEqualTo(16);
                assertThat(r.dtmf()).isEqualTo("123");
            });
            assertThat(reconnects.get()).isEqualTo(18);
            assertThat(f.server.ready()).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void aStopAfterAsteriskDiedWithLiveCallsDoesNotWaitForThem() throws Exception {
        Vertx pbxVertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        DialerApp app = null;
        try {
            // the calls ring until Asterisk dies: live for as long as the test needs, whatever the machine's load
            // (an answered call of a campaign without a flow ends at once, and a poll could miss it)
            pbx.scripts().register(".*", CalleeScript.noAnswer());
            app = DialerApp.create(TestConfigs.local(dataDir)
                .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer",
                    "dialer", "dialer")))
                .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"),
                    false, 50, 100, Duration.ofSeconds(30), false)))
                .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)))
                // far longer than the stop may take: the stop must not wait for calls it cannot see end
                .withDrainTimeout(Duration.ofSeconds(60)));
            app.add(Wiring.campaignRunners(app));
            Await.result(app.start());
            DataSource ds = app.database().dataSource();
            JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
            store.create(CampaignFile.fromStored("dead", "{\"id\":\"dead\",\"trunk\":{\"name\":\"carrier\"},"
                + "\"limits\":{\"lines\":3},\"region\":\"FR\"}").draft(Instant.now()));
            List<JdbcContactStore.NewContact> list = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                list.add(new JdbcContactStore.NewContact("dead", "c" + i, new PhoneSet(List.of(new Phone("mobile",
                    String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                    Instant.now().minusSeconds(1)));
            }
            new JdbcContactStore(ds).insertAll(list);
            store.moveTo(store.get("dead").orElseThrow(), CampaignState.RUNNING, "test");
            await().atMost(10, TimeUnit.SECONDS).until(() -> pbx.liveCallCount() == 3);

            pbx.faults().down().await(); // Asterisk died: the calls' ends will never be seen
            long t0 = System.nanoTime();
            Await.result(app.stop(), 30);
            app = null;
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("stop bounded, not the 60 s drain")
                .isLessThan(Duration.ofSeconds(15));
        } finally {
            if (app != null) {
                Await.result(app.stop(), 90);
            }
            pbx.close().await();
            pbxVertx.close().await();
        }
    }
}

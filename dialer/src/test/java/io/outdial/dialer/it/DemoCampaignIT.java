package io.outdial.dialer.it;

import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The demo node seeds its campaign once, dials every contact through the sandbox PBX and resumes on restart. */
class DemoCampaignIT {
    @TempDir
    Path dataDir;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop());
        }
    }

    private DialerApp startDemo() {
        DialerApp node = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(node);
        Await.result(node.start());
        return node;
    }

    private JsonObject campaignEntry() {
        return new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies").stream()
            .map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("campaign:demo")).findFirst()
            .orElseThrow(() -> new AssertionError("no campaign:demo in /ready"));
    }

    private long count(String sql) {
        return SqlCount.of(app.database(), sql);
    }

    @Test
    void demoDialsEveryContactShowsTheCampaignInReadyAndDoesNotReseedOnRestart() {
        app = startDemo();

        assertThat(campaignEntry().getString("state")).isEqualTo("UP");
        // messaging fallback: the demo's sandbox SMSC is bound and labelled SIMULATED
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonObject smsc = new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies")
                .stream().map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("smsc:sandbox"))
                .findFirst().orElseThrow(() -> new AssertionError("no smsc:sandbox in /ready"));
            assertThat(smsc.getString("state")).isEqualTo("SIMULATED");
            assertThat(smsc.getString("detail")).contains("bind 0 BOUND");
        });
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(count("SELECT COUNT(DISTINCT contact_id) FROM call_records WHERE campaign_id = 'demo'"
                + " AND state = 'ENDED'")).isEqualTo(20));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(campaignEntry().getString("detail")).startsWith("idle, "));
        // the same campaign on /metrics: counters, lines, the reason state set, attempts by outcome
        String metrics = Http.get(app.httpPort(), "/metrics").body();
        assertThat(metrics).containsPattern("outdial_campaign_contacts\\{campaign=\"demo\",state=\"total\"\\} 20(\\.0)?\n")
            .containsPattern("outdial_lines_limit\\{level=\"campaign\",name=\"demo\"\\} 8(\\.0)?\n")
            .containsPattern("outdial_lines_in_use\\{level=\"trunk\",name=\"[^\"]+\"\\} \\d")
            .containsPattern("outdial_lines_in_use\\{level=\"global\",name=\"\\*\"\\} \\d")
            .containsPattern("outdial_campaign_reason\\{campaign=\"demo\",reason=\"dialing\"\\} 0(\\.0)?\n")
            .containsPattern("outdial_campaign_attempts_total\\{campaign=\"demo\",outcome=\"busy\"\\} [1-9]");
        String idle = campaignEntry().getString("detail").substring("idle, ".length()).split(":")[0];
        assertThat(java.util.regex.Pattern.compile("outdial_campaign_reason\\{campaign=\"demo\",reason=\"([a-z_]+)\"\\}"
            + " 1(\\.0)?\n").matcher(metrics).results().map(m -> m.group(1)).toList())
            .as("one reason at a time, the one /ready gives").containsExactly(idle);
        // answered contacts closed in the first round: their runs ended at the voice block without an SMS
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(count("SELECT COUNT(*) FROM cascade_run WHERE campaign_id = 'demo' AND state = 'DONE'"))
                .isPositive());
        assertThat(count("SELECT COUNT(*) FROM cascade_pin WHERE campaign_id = 'demo'")).isEqualTo(1);
        long contacts = count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'demo'");
        Await.result(app.stop());

        app = startDemo();

        assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'demo'")).isEqualTo(contacts)
            .isEqualTo(20);
        assertThat(count("SELECT COUNT(*) FROM contact_import WHERE campaign_id = 'demo'")).as("imported once")
            .isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM campaign WHERE id = 'demo'")).isEqualTo(1);
        assertThat(campaignEntry().getString("state")).isEqualTo("UP");
    }

    @Test
    void demoViberCallsOnlyWhereTheViberMessageWasNotSeenAndTextsWhereTheCallWasNotAnswered() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app, true);
        Await.result(app.start());
        String runs = "SELECT COUNT(*) FROM cascade_run WHERE campaign_id = '" + DemoSetup.VIBER_CAMPAIGN + "'";
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(count(runs + " AND state = 'DONE'")).isEqualTo(7);
            assertThat(count("SELECT COUNT(*) FROM campaign WHERE id = 'demo-viber' AND state = 'FINISHED'"))
                .isEqualTo(1);
        });
        // Vera (…5700) and Vanessa (…5720) saw the Viber message: never called
        String calls = "SELECT COUNT(DISTINCT r.contact_id) FROM call_records r JOIN contact c"
            + " ON CAST(c.id AS VARCHAR(20)) = r.contact_id WHERE r.campaign_id = 'demo-viber'";
        assertThat(count(calls)).isEqualTo(4);
        assertThat(count(calls + " AND (c.phone LIKE '%5700' OR c.phone LIKE '%5720')")).isZero();
        // Valérie (…5730, a bot subscriber) unsubscribed after the message: stop-listed, never called, no SMS
        assertThat(count(calls + " AND c.phone LIKE '%5730'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM stop_list WHERE phone = '+33612345730'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM cascade_message m JOIN cascade_run r ON r.id = m.run_id"
            + " WHERE r.campaign_id = 'demo-viber' AND m.address = '+33612345730' AND m.channel = 'VIBER'"
            + " AND UPPER(m.status) = 'UNSUBSCRIBED'")).isEqualTo(1);
        // busy (…5714) and unanswered (…5715, …5725) got the SMS; the answered one (…5710) did not
        String sms = "SELECT COUNT(*) FROM cascade_message m JOIN cascade_run r ON r.id = m.run_id"
            + " WHERE r.campaign_id = 'demo-viber' AND m.channel = 'SMS'";
        assertThat(count(sms)).isEqualTo(3);
        assertThat(count(sms + " AND m.address LIKE '%5710'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM cascade_message m JOIN cascade_run r ON r.id = m.run_id"
            + " WHERE r.campaign_id = 'demo-viber' AND m.channel = 'VIBER'")).isEqualTo(7);
        JsonObject viber = new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies")
            .stream().map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("viber:sandbox")).findFirst()
            .orElseThrow(() -> new AssertionError("no viber:sandbox in /ready"));
        assertThat(viber.getString("state")).isEqualTo("SIMULATED");
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
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
import java.util.stream.Stream;
import javax.sql.DataSource;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Serve mode end to end: a node (DialerApp + CampaignRunners, the sandbox PBX in-process as its Asterisk) follows
 * the campaign table the way the REST API changes it: DRAFT → RUNNING starts dialing within about 2 s, PAUSED lets
 * the live calls end and stops, RUNNING resumes, the end time passing finishes the campaign; a definition that
 * cannot run is DEGRADED until its row changes. {@code /ready} says so along the way.
 */
class ServeCampaignsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;

    static Stream<String> engines() {
        return Stream.of("H2", "PostgreSQL");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            // the drain (5 s) and then calls still ringing toward their 30 s originate timeout: a ceiling, not a
            // measure (a stop that waits for live calls is the behaviour)
            Await.result(app.stop(), 90);
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    private DialerConfig config(String engine) {
        DialerConfig c = TestConfigs.local(dataDir);
        if (engine.equals("PostgreSQL")) {
            c = c.withDatabase(new DatabaseConfig(EmbeddedPostgres.get().createDatabase(), "postgres", "",
                dataDir.toString(), 4, Duration.ofSeconds(5)));
        }
        return c.withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer",
                "dialer", "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                50, 100, Duration.ofSeconds(30), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)));
    }

    private String definition(String id) throws Exception {
        Map<String, Object> def = Map.of("id", id, "trunk", Map.of("name", "carrier"),
            "limits", Map.of("lines", 4), "region", "FR");
        return JSON.writeValueAsString(def);
    }

    private void contacts(DataSource ds, String campaign, int n) {
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new JdbcContactStore.NewContact(campaign, "c" + i, new PhoneSet(List.of(new Phone("mobile",
                String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(ds).insertAll(list);
    }

    private JsonObject ready(String campaign) {
        return new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies").stream()
            .map(o -> (JsonObject) o).filter(d -> d.getString("name").equals(CampaignRunners.checkName(campaign)))
            .findFirst().orElse(null);
    }

    private String detail(String campaign) {
        JsonObject r = ready(campaign);
        return r == null ? "(absent)" : r.getString("state") + " " + r.getString("detail");
    }

    private long busyAttemptsMetric(String campaign) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("outdial_campaign_attempts_total\\{campaign=\""
            + campaign + "\",outcome=\"busy\"\\} ([0-9.]+)").matcher(Http.get(app.httpPort(), "/metrics").body());
        assertThat(m.find()).as("busy attempts of %s on /metrics", campaign).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private long count(String sql) {
        return SqlCount.of(app.database(), sql);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    @Timeout(120)
    void theNodeFollowsTheCampaignTable(String engine) throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.busy(Duration.ofSeconds(2))); // every call lives 2 s
        app = DialerApp.create(config(engine));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());

        CampaignFile def = CampaignFile.fromStored("e2e", definition("e2e"));
        store.create(def.draft(Instant.now()));
        contacts(ds, "e2e", 60);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(10)).until(() -> pbx.originateCount() == 0);
        assertThat(ready("e2e")).as("a draft is not dialed here").isNull();

        store.moveTo(store.get("e2e").orElseThrow(), CampaignState.RUNNING, "test: started through the API");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> pbx.originateCount() > 0);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
            assertThat(detail("e2e")).startsWith("UP dialing: "));
        assertThat(pbx.liveCallCount()).as("the campaign's 4 lines").isLessThanOrEqualTo(4);

        store.moveTo(store.get("e2e").orElseThrow(), CampaignState.PAUSED, "test: paused through the API");
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(detail("e2e")).isEqualTo("UP idle, paused");
            assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'e2e' AND state <> 'ENDED'"))
                .as("live calls ended and stored").isZero();
        });
        long atPause = pbx.originateCount();
        assertThat(pbx.liveCallCount()).isZero();
        assertThat(busyAttemptsMetric("e2e")).as("/metrics counts every attempt ended, also those ended while pausing")
            .isEqualTo(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'e2e' AND outcome = 'BUSY'"))
            .isPositive();
        assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'e2e' AND state = 'DIALING'")).isZero();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
            .until(() -> pbx.originateCount() == atPause);

        store.moveTo(store.get("e2e").orElseThrow(), CampaignState.RUNNING, "test: resumed through the API");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> pbx.originateCount() > atPause);

        Campaign running = store.get("e2e").orElseThrow();
        assertThat(store.update(running.withSchedule(null, Instant.now().plusSeconds(1)))).isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(store.get("e2e").orElseThrow().state()).isEqualTo(CampaignState.FINISHED);
            assertThat(detail("e2e")).isEqualTo("UP idle, finished");
        });
        assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'e2e' AND state <> 'ENDED'"))
            .as("the runner paused before the campaign finished: every call stored").isZero();
        assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'e2e' AND state = 'DIALING'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM contact WHERE campaign_id = 'e2e' AND attempts > 0"))
            .as("contacts were dialed before the end, not all (the end cut the campaign)").isBetween(1L, 59L);
        assertThat(busyAttemptsMetric("e2e")).as("the attempts of both runners (before and after the pause)")
            .isEqualTo(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'e2e' AND outcome = 'BUSY'"));

        // archived later (through the API): /ready follows the row instead of keeping "finished" until a restart
        store.moveTo(store.get("e2e").orElseThrow(), CampaignState.ARCHIVED, "test: archived");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
            .until(() -> detail("e2e").equals("UP idle, archived"));
    }

    private String metric(String name, String labels) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name + "{" + labels
            + "}") + " ([^\\n]+)").matcher(Http.get(app.httpPort(), "/metrics").body());
        return m.find() ? m.group(1) : "(absent)";
    }

    @org.junit.jupiter.api.Test
    @Timeout(120)
    void aFinishedCampaignKeepsItsFinalCountersOnMetricsAndStaysListedInReadyAfterARestart() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.rejected(Duration.ofMillis(100))); // closed at once
        app = DialerApp.create(config("H2"));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        store.create(CampaignFile.fromStored("done", definition("done")).draft(Instant.now()));
        contacts(ds, "done", 6);
        store.moveTo(store.get("done").orElseThrow(), CampaignState.RUNNING, "test: started");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(detail("done")).isEqualTo("UP idle, finished"));

        // the runner is gone: the gauges show the campaign's final counters and its configured line limit
        for (String state : List.of("available_now", "planned", "in_progress")) {
            assertThat(metric("outdial_campaign_contacts", "campaign=\"done\",state=\"" + state + "\""))
                .as(state).isEqualTo("0.0");
        }
        assertThat(metric("outdial_campaign_contacts", "campaign=\"done\",state=\"closed_no_success\""))
            .isEqualTo("6.0");
        assertThat(metric("outdial_lines_limit", "level=\"campaign\",name=\"done\"")).isEqualTo("4.0");

        Await.result(app.stop(), 30);
        app = DialerApp.create(config("H2"));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(detail("done")).as("after a restart").isEqualTo("UP idle, finished"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    @Timeout(60)
    void aDefinitionThatCannotRunIsDegradedUntilItsRowChanges(String engine) throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        app = DialerApp.create(config(engine));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        Instant now = Instant.now();
        store.create(new Campaign("bad", "Bad", CampaignState.DRAFT, 0, 1, false, null, null, "{\"id\": \"bad\",",
            now, now, 0));
        contacts(ds, "bad", 3);
        store.moveTo(store.get("bad").orElseThrow(), CampaignState.RUNNING, "test");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
            assertThat(detail("bad")).startsWith("DEGRADED campaign bad: stored definition is not JSON"));

        Campaign c = store.get("bad").orElseThrow();
        assertThat(store.update(new Campaign(c.id(), c.name(), c.state(), 0, 1, false, null, null,
            definition("bad"), c.createdAt(), c.updatedAt(), c.version()))).isTrue();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
            .until(() -> pbx.originateCount() >= 3);
        assertThat(detail("bad")).doesNotStartWith("DEGRADED");
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aCampaignThisNodeNoLongerOwnsIsPausedHereAndResumesWhenOwnedAgain() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.busy(Duration.ofSeconds(2)));
        java.util.concurrent.atomic.AtomicBoolean owned = new java.util.concurrent.atomic.AtomicBoolean(true);
        app = DialerApp.create(config("H2"));
        app.add(Wiring.campaignRunners(app, c -> owned.get(), null));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        store.create(CampaignFile.fromStored("moved", definition("moved")).draft(Instant.now()));
        contacts(ds, "moved", 60);
        store.moveTo(store.get("moved").orElseThrow(), CampaignState.RUNNING, "test");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> detail("moved").startsWith("UP dialing"));

        owned.set(false); // the cluster gave the campaign to another node
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(detail("moved")).isIn("UP idle, dialed by another node", "(absent)");
            assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'moved' AND state <> 'ENDED'"))
                .isZero();
        });
        long atHandOver = pbx.originateCount();
        assertThat(store.get("moved").orElseThrow().state()).as("the row is left RUNNING for its new owner")
            .isEqualTo(CampaignState.RUNNING);

        owned.set(true);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> pbx.originateCount() > atHandOver);
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void liveCountersAreReReadFromTheDatabaseSoContactsAddedBehindTheRunnersBackAreCounted() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.noAnswer()); // calls ring until the 30 s originate timeout
        app = DialerApp.create(config("H2"));
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners);
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        store.create(CampaignFile.fromStored("live", definition("live")).draft(Instant.now()));
        contacts(ds, "live", 10);
        store.moveTo(store.get("live").orElseThrow(), CampaignState.RUNNING, "test");
        await().atMost(Duration.ofSeconds(5)).until(() -> runners.runner("live").isPresent()
            && runners.runner("live").get().counters().inProgress() == 4);
        assertThat(runners.runner("live").get().counters().total()).isEqualTo(10);

        // 5 contacts written by another writer (e.g. another node's import): the runner's counters do not see them
        List<JdbcContactStore.NewContact> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            more.add(new JdbcContactStore.NewContact("live", "x" + i, new PhoneSet(List.of(new Phone("mobile",
                String.format("+3361299%04d", i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null,
                Instant.now().plusSeconds(3600)));
        }
        new JdbcContactStore(ds).insertAll(more);
        assertThat(runners.runner("live").get().counters().total()).isEqualTo(10);

        runners.runner("live").get().refreshCounters();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            var n = runners.runner("live").get().counters();
            assertThat(n.total()).isEqualTo(15);
            assertThat(n.planned()).as("the 5 new ones wait for later").isEqualTo(5);
            assertThat(n.inProgress()).isEqualTo(4);
        });
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aScheduledCampaignStartsAtItsStartTime() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        app = DialerApp.create(config("H2"));
        app.add(Wiring.campaignRunners(app));
        Await.result(app.start());
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        Instant startsAt = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String def = JSON.writeValueAsString(Map.of("id", "later", "trunk", Map.of("name", "carrier"),
            "startsAt", startsAt.toString()));
        store.create(CampaignFile.fromStored("later", def).draft(Instant.now()));
        contacts(ds, "later", 3);
        store.moveTo(store.get("later").orElseThrow(), CampaignState.SCHEDULED, "test");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
            assertThat(detail("later")).isEqualTo("UP idle, scheduled: starts at " + startsAt));
        assertThat(pbx.originateCount()).isZero();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> pbx.originateCount() > 0);
        assertThat(Instant.now()).isAfterOrEqualTo(startsAt);
        assertThat(store.get("later").orElseThrow().state()).isIn(CampaignState.RUNNING, CampaignState.FINISHED);
    }

    @org.junit.jupiter.api.Test
    @Timeout(60)
    void aStoredFlowRunsAtItsLatestValidVersionAndAMissingOneIsDegraded() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(300))
            .withDigits(Duration.ofMillis(500), "1"));
        app = DialerApp.create(config("H2"));
        IvrWiring ivr = Wiring.ivr(app);
        app.add(Wiring.campaignRunners(app, CampaignOwnership.local(),
                CampaignRunners.FlowSource.stored(app.vertx(), ivr)));
        Await.result(app.start());
        String flow;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream("demo/flow-demo.yaml")) {
            flow = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(ivr.store().save("demo-survey", flow, FlowDocuments.Format.YAML).valid())
            .isTrue();
        // a newer draft that is not valid: version 0 means the latest VALID version, so v1 runs
        assertThat(ivr.store().save("demo-survey", flow.replace("start: ask", "start: nowhere"),
            FlowDocuments.Format.YAML).valid()).isFalse();
        DataSource ds = app.database().dataSource();
        JdbcCampaignStore store = new JdbcCampaignStore(ds, Clock.systemUTC());
        for (String id : List.of("withflow", "noflow")) {
            String flowId = id.equals("withflow") ? "demo-survey" : "gone";
            String def = JSON.writeValueAsString(Map.of("id", id, "trunk", Map.of("name", "carrier"),
                "limits", Map.of("lines", 4), "region", "FR", "flowId", flowId));
            store.create(CampaignFile.fromStored(id, def).draft(Instant.now()));
            contacts(ds, id, 2);
            store.moveTo(store.get(id).orElseThrow(), CampaignState.RUNNING, "test");
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'withflow' AND state = 'ENDED'"
                + " AND flow_result LIKE '%interested%'")).as("the stored flow ran: key 1 = interested").isEqualTo(2);
            assertThat(detail("noflow")).startsWith("DEGRADED runner did not start: flow gone does not exist");
        });
        assertThat(count("SELECT COUNT(*) FROM call_records WHERE campaign_id = 'noflow'")).isZero();
    }
}

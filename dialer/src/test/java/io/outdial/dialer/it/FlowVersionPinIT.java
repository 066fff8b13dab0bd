package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.storage.DatabaseConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A campaign with {@code flowVersion: 0} keeps the stored flow version it started with: a newer version saved
 * meanwhile is not picked up by a pause and resume nor by a node restart; replacing the definition's flow version
 * through the API clears the pin, so the next start runs the version it names. Each phase dials one new contact and
 * reads the version the call's flow result recorded.
 */
class FlowVersionPinIT {
    private static final String CAMPAIGN = "pinned";
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private DialerApp app;
    private CampaignRunners runners;
    private ApiTestClient http;
    private String pgUrl;
    private int contacts;

    static Stream<String> engines() {
        return Stream.of("H2", "PostgreSQL");
    }

    @AfterEach
    void stop() {
        if (app != null) {
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
            if (pgUrl == null) {
                pgUrl = EmbeddedPostgres.get().createDatabase();
            }
            c = c.withDatabase(new DatabaseConfig(pgUrl, "postgres", "", dataDir.toString(), 4, Duration.ofSeconds(5)));
        }
        return c.withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer",
                "dialer", "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                50, 100, Duration.ofSeconds(30), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)));
    }

    /** Starts a node (again) on the same database. */
    private IvrWiring node(String engine) {
        app = DialerApp.create(config(engine));
        IvrWiring ivr = Wiring.ivr(app);
        runners = Wiring.campaignRunners(app, CampaignOwnership.local(),
                CampaignRunners.FlowSource.stored(app.vertx(), ivr));
        app.add(runners).add(Wiring.api(app, runners));
        Await.result(app.start());
        http = ApiTestClient.admin(app);
        return ivr;
    }

    private static JsonObject definition(int flowVersion) {
        return new JsonObject().put("id", CAMPAIGN).put("trunk", Map.of("name", "carrier"))
            .put("limits", Map.of("lines", 2)).put("region", "FR").put("alwaysActive", true)
            .put("flowId", "demo-survey").put("flowVersion", flowVersion);
    }

    private void state(String to) {
        assertThat(http.postJson("/api/v1/campaigns/" + CAMPAIGN + "/state", new JsonObject().put("state", to)
            .put("force", true)).status()).as("move to %s", to).isEqualTo(200);
    }

    private JsonObject campaign() {
        return http.get("/api/v1/campaigns/" + CAMPAIGN).json();
    }

    /** Adds one due contact and waits for its call: the flow version its flow result recorded. */
    private int dialOne() {
        int n = contacts++;
        String phone = String.format("+3361234%04d", n);
        new JdbcContactStore(app.database().dataSource()).insertAll(List.of(new JdbcContactStore.NewContact(
            CAMPAIGN, "c" + n, new PhoneSet(List.of(new Phone("mobile", phone, 0, false))), "UTC", Map.of(),
            ContactState.WAITING, null, Instant.now().minusSeconds(1))));
        String ended = "SELECT COUNT(*) FROM call_records WHERE campaign_id = '" + CAMPAIGN + "' AND state = 'ENDED'"
            + " AND flow_result IS NOT NULL AND phone = '" + phone + "'";
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> SqlCount.of(app.database(), ended) == 1);
        for (int v = 1; v <= 3; v++) {
            if (SqlCount.of(app.database(), ended + " AND flow_result LIKE '%\"flowVersion\":" + v + ",%'") == 1) {
                return v;
            }
        }
        throw new AssertionError("no flow version in the flow result of " + phone);
    }

    /**
     * Until the node has stopped the campaign's runner: the API hides the runner as soon as the row is paused, but
     * the node sees the pause at its next read of the campaign table, and until then the old runner dials on.
     */
    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> !campaign().containsKey("runner") && runners.runner(CAMPAIGN).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    @Timeout(240)
    void aStartedCampaignKeepsItsFlowVersionUntilItsDefinitionNamesAnother(String engine) throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(200))
            .withDigits(Duration.ofMillis(300), "1"));
        IvrWiring ivr = node(engine);
        String flow;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/flow-demo.yaml")) {
            flow = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(ivr.store().save("demo-survey", flow, FlowDocuments.Format.YAML).version())
            .isEqualTo(1);
        assertThat(http.postJson("/api/v1/campaigns", definition(0)).status()).isEqualTo(201);
        assertThat(campaign().getValue("pinnedFlowVersion")).as("not started yet: nothing pinned").isNull();
        state("RUNNING");
        assertThat(dialOne()).isEqualTo(1);
        assertThat(campaign().getInteger("pinnedFlowVersion")).isEqualTo(1);

        // a newer valid version: a pause and a resume keep v1
        assertThat(ivr.store().save("demo-survey", flow + "\n# second version\n", FlowDocuments.Format.YAML)
            .version()).isEqualTo(2);
        state("PAUSED");
        awaitIdle();
        state("RUNNING");
        assertThat(dialOne()).as("after pause and resume").isEqualTo(1);

        // a node restart (crash recovery, or another node taking it over) keeps v1
        Await.result(app.stop(), 90);
        ivr = node(engine);
        assertThat(dialOne()).as("after a node restart").isEqualTo(1);
        assertThat(campaign().getInteger("pinnedFlowVersion")).isEqualTo(1);

        // an edit that leaves the flow alone keeps the pin; replacing the flow version clears it
        state("PAUSED");
        awaitIdle();
        assertThat(http.put("/api/v1/campaigns/" + CAMPAIGN, definition(0).put("limits", Map.of("lines", 3))
            .encode(), "application/json").status()).isEqualTo(200);
        assertThat(campaign().getInteger("pinnedFlowVersion")).as("another edit keeps the pin").isEqualTo(1);
        assertThat(http.put("/api/v1/campaigns/" + CAMPAIGN, definition(2).encode(), "application/json").status())
            .isEqualTo(200);
        assertThat(campaign().getValue("pinnedFlowVersion")).as("the flow was replaced: unpinned").isNull();
        state("RUNNING");
        assertThat(dialOne()).as("the next start runs the version now named").isEqualTo(2);
        assertThat(campaign().getInteger("pinnedFlowVersion")).isEqualTo(2);

        // back to "latest": the next start picks again and pins the latest valid version
        state("PAUSED");
        awaitIdle();
        assertThat(http.put("/api/v1/campaigns/" + CAMPAIGN, definition(0).encode(), "application/json").status())
            .isEqualTo(200);
        assertThat(ivr.store().save("demo-survey", flow + "\n# third version\n", FlowDocuments.Format.YAML)
            .version()).isEqualTo(3);
        state("RUNNING");
        assertThat(dialOne()).as("flowVersion 0 again: the latest valid version at this start").isEqualTo(3);
    }

    @org.junit.jupiter.api.Test
    @Timeout(120)
    void aPauseEditAndResumeQuickerThanTheNodeReadsTheTableStillAppliesTheEdit() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(100))
            .withDigits(Duration.ofMillis(300), "1"));
        IvrWiring ivr = node("H2");
        String flow;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/flow-demo.yaml")) {
            flow = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ivr.store().save("demo-survey", flow, FlowDocuments.Format.YAML);
        ivr.store().save("demo-survey", flow + "\n# second version\n", FlowDocuments.Format.YAML);
        assertThat(http.postJson("/api/v1/campaigns", definition(1)).status()).isEqualTo(201);
        state("RUNNING");
        assertThat(dialOne()).isEqualTo(1);

        // paused, replaced and resumed well within one read of the campaign table (every 200 ms): the node may
        // never see it paused, and must still dial the new definition
        JdbcCampaignStore store = new JdbcCampaignStore(app.database().dataSource(), java.time.Clock.systemUTC());
        store.moveTo(store.get(CAMPAIGN).orElseThrow(), CampaignState.PAUSED, "test").orElseThrow();
        assertThat(http.put("/api/v1/campaigns/" + CAMPAIGN, definition(2).encode(), "application/json").status())
            .isEqualTo(200);
        store.moveTo(store.get(CAMPAIGN).orElseThrow(), CampaignState.RUNNING, "test").orElseThrow();
        assertThat(dialOne()).as("the definition replaced in the pause").isEqualTo(2);
    }
}

package io.outdial.dialer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.support.SqlCount;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.PbxLog;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spoken prompts through the product's own composition roots: {@code run CAMPAIGN.yaml} with an {@code asterisk:}
 * section, {@code serve} and {@code demo} (each with a sandbox PBX as its Asterisk) render a {@code say} node with
 * TTS and the PBX fetches it over HTTP and plays it to the end; the call is not FAILED.
 */
@Timeout(120)
class SpokenPromptsIT {
    private static final String TEXT = "Hello, this is a test call from the dialer.";
    @TempDir
    Path dir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;

    @BeforeEach
    void startPbx() {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ofMillis(200)));
    }

    @AfterEach
    void stopPbx() {
        pbx.close().await();
        pbxVertx.close().await();
    }

    @Test
    void runWithAnAsteriskSectionSpeaksSayNodes() throws Exception {
        Files.copy(Path.of(getClass().getResource("/spoken/flow-spoken.json").toURI()), dir.resolve("flow.json"));
        Files.writeString(dir.resolve("contacts.csv"), "id,phone\n1,+33612345601\n2,+33612345611\n");
        Files.writeString(dir.resolve("campaign.yaml"), String.join("\n",
                "id: spoken",
                "contacts: contacts.csv",
                "flow: flow.json",
                "region: FR",
                "timeZone: UTC",
                "calendar: {everyDay: [\"00:00-24:00\"]}",
                "trunk: {name: carrier, endpoint: \"PJSIP/{number}@carrier\", callerIds: [\"+33100000001\"]}",
                "limits: {lines: 2, perSecond: 5}",
                "asterisk:",
                "  url: http://127.0.0.1:" + pbx.port(),
                "  username: dialer",
                "  password: dialer",
                "  app: dialer",
                ""));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), null, false);
        Path out = dir.resolve("out.csv");
        int code = new Main(ctx).run("run", dir.resolve("campaign.yaml").toString(), "--results", out.toString(),
                "--data", dir.resolve("data").toString());
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(log).isZero();
        assertThat(log).contains("Dialing through Asterisk").contains("Campaign finished. 2 contacts");

        assertSpokenAndPlayed(2);
        List<String> rows = Files.readAllLines(out);
        assertThat(rows).hasSize(3);
        assertThat(rows.subList(1, 3)).allSatisfy(r -> assertThat(r).contains("SUCCESS").doesNotContain("FAILED"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"serve", "demo"})
    void serveAndDemoSpeakSayNodes(String command) throws Exception {
        Path config = dir.resolve("node.yaml");
        Files.writeString(config, String.join("\n",
                "http: {host: 127.0.0.1, port: 0}",
                "database: {dataDir: \"" + dir.resolve("data").toString().replace("\\", "/") + "\"}",
                "cluster: {name: outdial-spoken-" + TestConfigs.freePort() + ", host: 127.0.0.1, port: "
                        + TestConfigs.freePort() + ", joinEnabled: false}",
                "shutdown: {drainTimeout: 5s}",
                "asterisk:",
                "  - name: pbx1",
                "    url: http://127.0.0.1:" + pbx.port(),
                "    username: dialer",
                "    password: dialer",
                "    app: dialer",
                "trunks:",
                "  - name: carrier",
                "    endpointPattern: PJSIP/{number}@carrier",
                "    callerIds: [\"+33100000001\"]",
                "    maxLines: 10",
                "    maxCps: 10",
                ""));
        String flow = Files.readString(Path.of(getClass().getResource("/spoken/flow-spoken.json").toURI()));
        AtomicReference<Throwable> failed = new AtomicReference<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), Map.of(), app -> {
                    try {
                        dialSpoken(app, flow);
                    } catch (Throwable e) {
                        failed.set(e);
                    } finally {
                        app.stop();
                    }
                }, false);
        assertThat(new Main(ctx).run(command, "--config", config.toString())).as(out.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(failed.get()).as(out.toString(StandardCharsets.UTF_8)).isNull();
    }

    /** Stores the flow through the API, creates and starts a campaign of two contacts, waits until both closed. */
    private void dialSpoken(DialerApp app, String flow) throws Exception {
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.httpPort() + "/api/v1/flows/spoken")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app))
                .PUT(HttpRequest.BodyPublishers.ofString(flow)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isBetween(200, 201);
        JdbcCampaignStore store = new JdbcCampaignStore(app.database().dataSource(), Clock.systemUTC());
        String def = "{\"id\": \"spoken\", \"flowId\": \"spoken\", \"region\": \"FR\", \"timeZone\": \"UTC\","
                + " \"calendar\": {\"everyDay\": [\"00:00-24:00\"]}, \"trunk\": {\"name\": \"carrier\"},"
                + " \"limits\": {\"lines\": 2, \"perSecond\": 5}}";
        store.create(CampaignFile.fromStored("spoken", def).draft(Instant.now()));
        List<JdbcContactStore.NewContact> contacts = new ArrayList<>();
        for (String phone : List.of("+33612345601", "+33612345611")) {
            contacts.add(new JdbcContactStore.NewContact("spoken", "c" + phone.substring(10),
                    new PhoneSet(List.of(new Phone("mobile", phone, 0, false))), "UTC", Map.of(),
                    ContactState.WAITING, null, Instant.now().minusSeconds(1)));
        }
        new JdbcContactStore(app.database().dataSource()).insertAll(contacts);
        store.moveTo(store.get("spoken").orElseThrow(), CampaignState.RUNNING, "test: started");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> SqlCount.of(
                app.database(), "SELECT COUNT(*) FROM contact WHERE campaign_id = 'spoken' AND state = 'CLOSED'") == 2);
        assertSpokenAndPlayed(2);
        assertThat(SqlCount.of(app.database(), "SELECT COUNT(*) FROM call_records WHERE campaign_id = 'spoken'"
                + " AND outcome = 'FAILED'")).isZero();
        assertThat(SqlCount.of(app.database(), "SELECT COUNT(*) FROM contact WHERE campaign_id = 'spoken'"
                + " AND result = 'SUCCESS'")).isEqualTo(2);
    }

    /** From the PBX's side: each call fetched the say node's audio over HTTP and played it to its end. */
    private void assertSpokenAndPlayed(int calls) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<PbxLog.Media> played = pbx.log().media().stream().filter(PbxLog.Media::played).toList();
            assertThat(played).as("say audio played to its end, %s", pbx.log().media()).hasSize(calls)
                    .allSatisfy(m -> {
                        assertThat(m.url()).startsWith("http://127.0.0.1:").contains("/media/tts/").endsWith(".wav");
                        assertThat(m.status()).isEqualTo(200);
                        assertThat(m.bytes()).isGreaterThan(44);
                        assertThat(m.lengthMillis()).as("seconds of speech for %s", TEXT).isGreaterThan(500);
                    });
            assertThat(played.stream().map(PbxLog.Media::channelId).distinct()).hasSize(calls);
        });
    }
}

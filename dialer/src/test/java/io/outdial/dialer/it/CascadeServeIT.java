package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.sandbox.smsc.SubmittedSm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging fallback through a serving node's own wiring: a scheme stored through the API, a campaign created
 * through the API with that scheme, dialed on the sandbox PBX; the contacts whose call was busy or unanswered (after
 * the attempt rules) get an SMS through the configured SMSC (the sandbox SMSC over real SMPP), the answered one does
 * not; the runs API shows the path, statuses and cost, {@code /ready} the SMSC bind, {@code /metrics} the counters.
 */
class CascadeServeIT {
    private static final String ANSWERS = "+33612340010";
    private static final String BUSY = "+33612340014";
    private static final String NO_ANSWER = "+33612340015";
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private SandboxSmsc smsc;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 90);
        }
        if (smsc != null) {
            smsc.close();
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    private static String token;

    private static HttpResponse<String> put(int port, String path, String body, String type) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", type).header("Authorization", "Bearer " + token)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Timeout(180)
    void unansweredAndBusyContactsGetTheSmsAndTheAnsweredOneDoesNot() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        smsc = new SandboxSmsc("outdial", "pw-test");
        int smscPort = smsc.start();
        DialerConfig config = TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "dialer",
                "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 10, Duration.ofSeconds(4), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)))
            .withSmsc(List.of(SmscConfig.of("smsc1", "127.0.0.1", smscPort, "outdial", "OUTDIAL_TEST_SMSC_PASSWORD",
                "Outdial")));
        app = DialerApp.create(config);
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners);
        Wiring.cascade(app, app.config().smsc(), name -> name.equals("OUTDIAL_TEST_SMSC_PASSWORD") ? "pw-test" : null,
            List.of(), new PricePlan(Map.of(ChannelType.SMS, 7L), false));
        app.add(Wiring.api(app, runners));
        Await.result(app.start(), 120); // a ceiling for a loaded machine, not a measure
        int port = app.httpPort();
        token = io.outdial.dialer.support.TestAuth.adminToken(app);

        String scheme = Files.readString(Path.of("..", "examples", "scheme-demo.yaml"));
        HttpResponse<String> saved = put(port, "/api/v1/schemes/demo-fallback", scheme, "application/yaml");
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
        assertThat(new JsonObject(saved.body()).getBoolean("valid")).isTrue();

        JsonObject def = new JsonObject().put("id", "fb").put("region", "FR").put("scheme", "demo-fallback")
            .put("trunk", new JsonObject().put("name", "carrier")).put("limits", new JsonObject().put("lines", 3))
            .put("attempts", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("outcome", "BUSY").put("close", "EXHAUSTED"))
                .add(new JsonObject().put("outcome", "NO_ANSWER").put("close", "EXHAUSTED"))));
        var created = Http.post(port, "/api/v1/campaigns", def.encode(), token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        new JdbcContactStore(app.database().dataSource()).insertAll(List.of(
            contact(ANSWERS, "Anna"), contact(BUSY, "Boris"), contact(NO_ANSWER, "Nina")));
        var started = Http.post(port, "/api/v1/campaigns/fb/state", new JsonObject().put("state", "RUNNING")
            .put("force", true).encode(), token);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject runs = new JsonObject(Http.get(port, "/api/v1/campaigns/fb/runs", token).body());
            assertThat(runs.getLong("total")).isEqualTo(3);
            assertThat(runs.getJsonObject("states").getLong("DONE")).isEqualTo(3);
        });
        JsonObject runs = new JsonObject(Http.get(port, "/api/v1/campaigns/fb/runs", token).body());
        assertThat(runs.getJsonObject("pinned").getString("schemeId")).isEqualTo("demo-fallback");
        assertThat(runs.getLong("cost")).as("two SMS of one part at 7").isEqualTo(14);
        for (Object o : runs.getJsonArray("items")) {
            JsonObject run = (JsonObject) o;
            JsonObject detail = new JsonObject(Http.get(port, "/api/v1/campaigns/fb/runs/" + run.getString("contactId"),
                token).body());
            String address = run.getString("address");
            if (address.equals(ANSWERS)) {
                assertThat(detail.getJsonArray("path").getList()).containsExactly("call", "done");
                assertThat(detail.getJsonArray("messages")).hasSize(1);
                assertThat(detail.getJsonArray("messages").getJsonObject(0).getString("status")).isEqualTo("answered");
                assertThat(detail.getLong("cost")).isZero();
            } else {
                assertThat(detail.getJsonArray("path").getList()).as(detail.encodePrettily())
                    .containsExactly("call", "sms", "delivered");
                JsonArray messages = detail.getJsonArray("messages");
                assertThat(messages.getJsonObject(0).getString("status"))
                    .isEqualTo(address.equals(BUSY) ? "busy" : "no_answer");
                assertThat(messages.getJsonObject(1).getString("channel")).isEqualTo("sms");
                assertThat(messages.getJsonObject(1).getString("status")).isEqualTo("delivered");
                assertThat(messages.getJsonObject(1).getString("text")).startsWith(address.equals(BUSY) ? "Boris,"
                    : "Nina,");
                assertThat(detail.getLong("cost")).isEqualTo(7);
            }
        }
        List<SubmittedSm> sms = smsc.submitted();
        assertThat(sms).as("one SMS each to the busy and the unanswered contact, none to the answered one")
            .hasSize(2);
        assertThat(sms).extracting(SubmittedSm::dest).allMatch(d -> d.endsWith("612340014") || d.endsWith("612340015"));

        JsonObject smscReady = new JsonObject(Http.get(port, "/ready").body()).getJsonArray("dependencies").stream()
            .map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("smsc:smsc1")).findFirst().orElseThrow();
        assertThat(smscReady.getString("state")).isEqualTo("UP");
        assertThat(smscReady.getString("detail")).contains("bind 0 BOUND");
        // the meters follow the store once a second
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(Http.get(port, "/metrics").body())
            .containsPattern("outdial_cascade_block\\{block=\"sms\",counter=\"sent\",scheme=\"demo-fallback\"\\} 2")
            .containsPattern("outdial_cascade_block\\{block=\"sms\",counter=\"delivered\",scheme=\"demo-fallback\"\\} 2")
            .containsPattern("outdial_cascade_block\\{block=\"call\",counter=\"entered\",scheme=\"demo-fallback\"\\} 3")
            .containsPattern("outdial_cascade_block\\{block=\"delivered\",counter=\"goal_reached\","
                + "scheme=\"demo-fallback\"\\} 2")
            .containsPattern("outdial_cascade_cost_minor_units\\{block=\"sms\",scheme=\"demo-fallback\"\\} 14")
            .containsPattern("outdial_cascade_block\\{block=\"call\",counter=\"waiting\",scheme=\"demo-fallback\"\\} 0"));
    }

    private static JdbcContactStore.NewContact contact(String phone, String name) {
        return new JdbcContactStore.NewContact("fb", name, new PhoneSet(List.of(new Phone("mobile", phone, 0, false))),
            "UTC", Map.of("name", name), ContactState.WAITING, null, Instant.now().minusSeconds(1));
    }
}

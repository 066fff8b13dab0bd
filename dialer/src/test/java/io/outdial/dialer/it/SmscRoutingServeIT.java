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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A serving node with two SMSCs (two sandbox SMSCs over real SMPP on loopback): {@code a} serves +33, {@code b}
 * every other number. Busy contacts get their SMS through the SMSC of their number, the runs API names it, both show
 * in {@code /ready}; once {@code a} is gone, the +33 contacts of a second campaign get theirs through {@code b},
 * once each, and b's receipts end their runs.
 */
class SmscRoutingServeIT {
    private static final String FR_BUSY = "+33612340014";
    private static final String UK_BUSY = "+447700900014";
    private static final String FR_NO_ANSWER = "+33612340025";
    private static final String FR_LATER = "+33612340034";
    private static final String FR_LATER_2 = "+33612340044";
    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private SandboxSmsc smscA;
    private SandboxSmsc smscB;
    private DialerApp app;
    private static String token;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 90);
        }
        for (SandboxSmsc s : new SandboxSmsc[] {smscA, smscB}) {
            if (s != null) {
                s.close();
            }
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    private static HttpResponse<String> put(int port, String path, String body, String type) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", type).header("Authorization", "Bearer " + token)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SmscConfig smsc(String name, int port, List<String> prefixes) {
        return SmscConfig.of(name, "127.0.0.1", port, "outdial", "OUTDIAL_TEST_SMSC_PASSWORD", "Outdial")
            .withTimers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(30))
            .withRoute(prefixes, 1);
    }

    @Test
    @Timeout(240)
    void smsGoThroughTheSmscOfTheirNumberAndThroughTheOtherWhenItIsGone() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        smscA = new SandboxSmsc("outdial", "pw-test");
        smscB = new SandboxSmsc("outdial", "pw-test");
        int portA = smscA.start();
        int portB = smscB.start();
        DialerConfig config = TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "dialer",
                "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 10, Duration.ofSeconds(4), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)))
            .withSmsc(List.of(smsc("a", portA, List.of("+33")), smsc("b", portB, List.of())));
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
        JsonObject def = new JsonObject().put("id", "rt").put("region", "FR").put("scheme", "demo-fallback")
            .put("trunk", new JsonObject().put("name", "carrier")).put("limits", new JsonObject().put("lines", 3))
            .put("attempts", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("outcome", "BUSY").put("close", "EXHAUSTED"))
                .add(new JsonObject().put("outcome", "NO_ANSWER").put("close", "EXHAUSTED"))));
        var created = Http.post(port, "/api/v1/campaigns", def.encode(), token);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JdbcContactStore contacts = new JdbcContactStore(app.database().dataSource());
        contacts.insertAll(List.of(contact("rt", FR_BUSY, "Anne"), contact("rt", UK_BUSY, "Bob"),
            contact("rt", FR_NO_ANSWER, "Nina")));
        var started = Http.post(port, "/api/v1/campaigns/rt/state", new JsonObject().put("state", "RUNNING")
            .put("force", true).encode(), token);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        awaitDone(port, "rt", 3);

        assertThat(smscA.submitted()).extracting(SubmittedSm::dest)
            .containsExactlyInAnyOrder(FR_BUSY, FR_NO_ANSWER);
        assertThat(smscB.submitted()).extracting(SubmittedSm::dest).containsExactly(UK_BUSY);
        Map<String, String> smscByAddress = smscOfRuns(port, "rt");
        assertThat(smscByAddress).containsEntry(FR_BUSY, "a").containsEntry(FR_NO_ANSWER, "a")
            .containsEntry(UK_BUSY, "b");
        JsonArray deps = new JsonObject(Http.get(port, "/ready").body()).getJsonArray("dependencies");
        for (String name : List.of("smsc:a", "smsc:b")) {
            JsonObject d = deps.stream().map(o -> (JsonObject) o).filter(x -> x.getString("name").equals(name))
                .findFirst().orElseThrow();
            assertThat(d.getString("state")).as(name).isEqualTo("UP");
        }

        // a goes away: /ready shows it, and the +33 SMS that follow go through b, once each
        smscA.close();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
            new JsonObject(Http.get(port, "/ready").body()).getJsonArray("dependencies").stream()
                .map(o -> (JsonObject) o).filter(x -> x.getString("name").equals("smsc:a")).findFirst().orElseThrow()
                .getString("state").equals("DEGRADED"));
        var second = Http.post(port, "/api/v1/campaigns", def.copy().put("id", "rt2").encode(), token);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        contacts.insertAll(List.of(contact("rt2", FR_LATER, "Louis"), contact("rt2", FR_LATER_2, "Lea")));
        var started2 = Http.post(port, "/api/v1/campaigns/rt2/state", new JsonObject().put("state", "RUNNING")
            .put("force", true).encode(), token);
        assertThat(started2.statusCode()).as(started2.body()).isEqualTo(200);
        awaitDone(port, "rt2", 2);
        List<String> toB = smscB.submitted().stream().map(SubmittedSm::dest).toList();
        assertThat(toB).containsExactlyInAnyOrder(UK_BUSY, FR_LATER, FR_LATER_2);
        assertThat(smscA.submitted()).hasSize(2);
        smscByAddress = smscOfRuns(port, "rt2");
        assertThat(smscByAddress).containsEntry(FR_LATER, "b").containsEntry(FR_LATER_2, "b");
        // b's receipts were applied: every SMS run reached its goal
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(Http.get(port, "/metrics").body())
            .containsPattern("outdial_cascade_block\\{block=\"sms\",counter=\"delivered\",scheme=\"demo-fallback\"\\} 5"));
    }

    private static void awaitDone(int port, String campaign, int n) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject runs = new JsonObject(Http.get(port, "/api/v1/campaigns/" + campaign + "/runs", token).body());
            assertThat(runs.getLong("total")).isEqualTo(n);
            assertThat(runs.getJsonObject("states").getLong("DONE")).isEqualTo(n);
        });
    }

    /** The SMSC named by each run's SMS message, by address; every SMS run reached its delivered goal. */
    private static Map<String, String> smscOfRuns(int port, String campaign) throws Exception {
        JsonObject runs = new JsonObject(Http.get(port, "/api/v1/campaigns/" + campaign + "/runs", token).body());
        Map<String, String> out = new java.util.HashMap<>();
        Set<String> ids = new HashSet<>();
        for (Object o : runs.getJsonArray("items")) {
            JsonObject run = (JsonObject) o;
            JsonObject detail = new JsonObject(Http.get(port, "/api/v1/campaigns/" + campaign + "/runs/"
                + run.getString("contactId"), token).body());
            assertThat(detail.getJsonArray("path").getList()).as(detail.encodePrettily())
                .containsExactly("call", "sms", "delivered");
            List<JsonObject> sms = new ArrayList<>();
            detail.getJsonArray("messages").forEach(m -> {
                if (((JsonObject) m).getString("channel").equals("sms")) {
                    sms.add((JsonObject) m);
                }
            });
            assertThat(sms).hasSize(1);
            assertThat(sms.get(0).getString("status")).isEqualTo("delivered");
            assertThat(ids.add(sms.get(0).getJsonArray("providerIds").getString(0))).isTrue();
            out.put(run.getString("address"), sms.get(0).getString("smsc"));
        }
        return out;
    }

    private static JdbcContactStore.NewContact contact(String campaign, String phone, String name) {
        return new JdbcContactStore.NewContact(campaign, name, new PhoneSet(List.of(new Phone("mobile", phone, 0, false))),
            "UTC", Map.of("name", name), ContactState.WAITING, null, Instant.now().minusSeconds(1));
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.cascade.CascadeComponent;
import io.outdial.dialer.cluster.ClusterConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.EmbeddedPostgres;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messaging fallback on two clustered serving nodes (two Hazelcast members in one JVM on loopback) sharing one
 * PostgreSQL database, one sandbox PBX and one sandbox SMSC, each with its campaign runners, cascade component and
 * API: exactly one node runs the cascades, each unanswered or busy contact gets exactly one SMS whichever node dials,
 * a cancel sent to the other node is carried out by the engine's node, and when that node stops the other takes the
 * cascades over and sends the next campaign's SMS once each.
 */
class ClusterCascadeIT {
    private static final String SCHEME = String.join("\n",
        "id: voice-sms",
        "version: 1",
        "start: call",
        "blocks:",
        "  call:",
        "    type: voice",
        "    content: { flow: main }",
        "    decisionTime: PT1H",
        "    links:",
        "      - { on: status, status: answered, next: done }",
        "      - { on: status, status: no_answer, next: sms }",
        "      - { on: status, status: busy, next: sms }",
        "      - { on: error, next: done }",
        "      - { on: timeout, next: done }",
        "  sms:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, we could not reach you' }",
        "    decisionTime: PT10M",
        "    links:",
        "      - { on: status, status: delivered, next: done }",
        "      - { on: timeout, next: done }",
        "  done: { type: end }",
        "");

    /** As {@link #SCHEME}, with a second SMS when the first gets no receipt within 3 s (a timer fires). */
    private static final String TIMEOUT_SCHEME = SCHEME.replace("id: voice-sms", "id: voice-sms-sms")
        .replace("    decisionTime: PT10M\n    links:\n      - { on: status, status: delivered, next: done }\n"
            + "      - { on: timeout, next: done }", "    decisionTime: PT3S\n    links:\n"
            + "      - { on: status, status: delivered, next: done }\n      - { on: timeout, next: again }\n"
            + "  again:\n    type: sms\n    content: { text: 'Second try' }\n    decisionTime: PT3S\n"
            + "    links:\n      - { on: status, status: delivered, next: done }\n      - { on: timeout, next: done }");

    @TempDir
    Path dir;
    private final Vertx pbxVertx = Vertx.vertx();
    private SandboxPbx pbx;
    private SandboxSmsc smsc;
    private DialerApp a;
    private DialerApp b;

    @AfterEach
    void stop() throws Exception {
        for (DialerApp app : new DialerApp[] {b, a}) {
            if (app != null) {
                Await.result(app.stop(), 90);
            }
        }
        if (smsc != null) {
            smsc.close();
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    @Test
    @Timeout(400)
    void oneNodeRunsTheCascadesEachSmsGoesOutOnceAndTheOtherNodeTakesOver() throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        smsc = new SandboxSmsc("outdial", "pw-test");
        int smscPort = smsc.start();
        String url = EmbeddedPostgres.get().createDatabase();
        String name = "outdial-cascade-" + TestConfigs.freePort();
        int portA = TestConfigs.freePort();
        int portB = TestConfigs.freePort();
        a = node(url, dir.resolve("a"), new ClusterConfig(name, "127.0.0.1", portA, true,
            List.of("127.0.0.1:" + portB)), smscPort);
        b = node(url, dir.resolve("b"), new ClusterConfig(name, "127.0.0.1", portB, true,
            List.of("127.0.0.1:" + portA)), smscPort);
        await().atMost(Duration.ofSeconds(60)).until(() -> a.cluster().memberCount() == 2
            && b.cluster().memberCount() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> cascade(a).runsCascades() != cascade(b).runsCascades());
        DialerApp leader = cascade(a).runsCascades() ? a : b;
        DialerApp other = leader == a ? b : a;
        ApiTestClient adminL = ApiTestClient.admin(leader);
        ApiTestClient adminO = new ApiTestClient(other.httpPort(), adminL.token());

        // the campaign is created and started through the node that does not run the cascades
        assertThat(adminO.put("/api/v1/schemes/voice-sms", SCHEME, "application/yaml").status()).isEqualTo(201);
        List<String> first = List.of("+33612340205", "+33612340214", "+33612340225", "+33612340230",
            "+33612340244", "+33612340255");
        campaign(adminO, other, "first", "voice-sms", first);
        Map<String, JsonObject> runs = endedRuns(adminO, "first", first.size());
        Map<String, Long> sms = smsByNumber();
        // unanswered (…5) and busy (…4) get exactly one SMS each, the answered one (…0) none
        assertThat(sms).as("SMS per number").isEqualTo(Map.of("33612340205", 1L, "33612340214", 1L,
            "33612340225", 1L, "33612340244", 1L, "33612340255", 1L));
        assertThat(runs.get("+33612340230").getJsonArray("path").getList()).containsExactly("call", "done");
        assertThat(cascade(other).runsCascades()).as("still only one node runs the cascades").isFalse();

        // a decision time runs out (a timer): the second SMS goes out once
        assertThat(TIMEOUT_SCHEME).contains("next: again");
        assertThat(adminO.put("/api/v1/schemes/voice-sms-sms", TIMEOUT_SCHEME, "application/yaml").status())
            .isEqualTo(201);
        smsc.script("+33612340275", RecipientScript.neverAnswer());
        campaign(adminO, other, "timer", "voice-sms-sms", List.of("+33612340275"));
        JsonObject timed = endedRuns(adminO, "timer", 1).get("+33612340275");
        assertThat(timed.getJsonArray("path").getList()).as(timed.encode()).containsExactly("call", "sms", "again",
            "done");
        assertThat(smsByNumber().get("33612340275")).as("the first SMS and the second, once each").isEqualTo(2L);

        // a run waiting on a silent SMSC, cancelled through the other node: the engine's node carries it out
        smsc.script("+33612340265", RecipientScript.neverAnswer());
        campaign(adminO, other, "cancelled", "voice-sms", List.of("+33612340265"));
        await().atMost(Duration.ofSeconds(90)).until(() -> smsByNumber().containsKey("33612340265"));
        String contactId = adminO.get("/api/v1/campaigns/cancelled/runs").json().getJsonArray("items")
            .getJsonObject(0).getString("contactId");
        Res cancel = adminO.send("POST", "/api/v1/campaigns/cancelled/runs/" + contactId + "/cancel", null, null);
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().getString("state")).as(cancel.body()).isEqualTo("CANCELLED");

        // the engine's node stops: the other takes the cascade lease and sends the next campaign's SMS, once each
        Await.result(leader.stop(), 90);
        if (leader == a) {
            a = null;
        } else {
            b = null;
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cascade(other).runsCascades());
        List<String> second = List.of("+33612340305", "+33612340314");
        campaign(adminO, other, "second", "voice-sms", second);
        endedRuns(adminO, "second", second.size());
        Map<String, Long> after = smsByNumber();
        assertThat(after.get("33612340305")).isEqualTo(1L);
        assertThat(after.get("33612340314")).isEqualTo(1L);
        after.remove("33612340275");
        assertThat(after.values()).as("no SMS went out twice").allMatch(n -> n == 1L);
    }

    private DialerApp node(String url, Path data, ClusterConfig cluster, int smscPort) {
        DialerConfig config = TestConfigs.clusteredOnPbx(url, data, cluster, pbx.port())
            .withSmsc(List.of(SmscConfig.of("smsc1", "127.0.0.1", smscPort, "outdial", "SMSC_PW", "Outdial")));
        DialerApp app = DialerApp.create(config);
        CampaignRunners runners = Wiring.campaignRunners(app, Wiring.ownership(app), null);
        app.add(runners);
        Wiring.cascade(app, app.config().smsc(), Map.of("SMSC_PW", "pw-test")::get, List.of(), PricePlan.free());
        app.add(Wiring.api(app, runners));
        Await.result(app.start(), 180);
        return app;
    }

    private static CascadeComponent cascade(DialerApp app) {
        return app.component(CascadeComponent.class).orElseThrow();
    }

    private static void campaign(ApiTestClient api, DialerApp node, String id, String scheme, List<String> numbers) {
        JsonObject def = new JsonObject().put("id", id).put("region", "FR").put("scheme", scheme)
            .put("trunk", new JsonObject().put("name", "carrier")).put("limits", new JsonObject().put("lines", 4))
            .put("attempts", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("outcome", "NO_ANSWER").put("close", "EXHAUSTED"))
                .add(new JsonObject().put("outcome", "BUSY").put("close", "EXHAUSTED"))));
        Res created = api.postJson("/api/v1/campaigns", def);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        new JdbcContactStore(node.database().dataSource()).insertAll(numbers.stream().map(n ->
            new JdbcContactStore.NewContact(id, "C" + n.substring(n.length() - 3), new PhoneSet(List.of(
                new Phone("mobile", n, 0, false))), "UTC", Map.of("name", "C" + n.substring(n.length() - 3)),
                ContactState.WAITING, null, Instant.now().minusSeconds(1))).collect(Collectors.toList()));
        Res started = api.postJson("/api/v1/campaigns/" + id + "/state", new JsonObject().put("state", "RUNNING")
            .put("force", true));
        assertThat(started.status()).as(started.body()).isEqualTo(200);
    }

    /** Each run's detail by the contact's number, once every run of the campaign ended. */
    private static Map<String, JsonObject> endedRuns(ApiTestClient api, String campaign, int count) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject runs = api.get("/api/v1/campaigns/" + campaign + "/runs").json();
            assertThat(runs.getLong("total")).as(runs.encode()).isEqualTo(count);
            assertThat(runs.getJsonObject("states").getLong("DONE")).as(runs.encode()).isEqualTo(count);
        });
        return api.get("/api/v1/campaigns/" + campaign + "/runs").json().getJsonArray("items").stream()
            .map(o -> (JsonObject) o).collect(Collectors.toMap(r -> r.getString("address"), r -> api.get(
                "/api/v1/campaigns/" + campaign + "/runs/" + r.getString("contactId")).json(), (x, y) -> x));
    }

    private Map<String, Long> smsByNumber() {
        return smsc.submitted().stream().map(m -> m.dest().replace("+", "")).collect(Collectors.groupingBy(Function.identity(),
            Collectors.counting()));
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.config.ChatConfig;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.DialingConfig;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.SchemeTemplates;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxViber;
import io.outdial.sandbox.chat.SandboxWhatsApp;
import io.outdial.sandbox.chat.SentMessage;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.sandbox.smsc.SubmittedSm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat channels through a serving node's own wiring: the {@code chat} section bound from YAML, the channels given
 * to the node's cascade engine next to SMS and Voice, the providers' callbacks coming in through the node's HTTP
 * server under {@code /hooks/} without a user token. Calls on the sandbox PBX (every number ends in 5: unanswered),
 * WhatsApp and Viber on their sandbox APIs, SMS on the sandbox SMSC over SMPP.
 */
class ChatCascadeServeIT {
    private static final Map<String, String> ENV = Map.of("SMSC_PW", "pw-test", "WA_TOKEN", "wa-token",
        "WA_SECRET", "wa-app-secret", "WA_VERIFY", "verify-me", "VIBER_TOKEN", "bot-token", "IB_KEY", "ib-key",
        "IB_USER", "hook-user", "IB_PASSWORD", "hook-password");
    private static final String WA_SCHEME = String.join("\n",
        "id: wa-sms",
        "version: 1",
        "start: call",
        "blocks:",
        "  call:",
        "    type: voice",
        "    content: { flow: main }",
        "    decisionTime: PT1H",
        "    links:",
        "      - { on: status, status: no_answer, next: wa }",
        "      - { on: error, next: done }",
        "      - { on: timeout, next: done }",
        "  wa:",
        "    type: whatsapp",
        "    content: { template: appointment_reminder, language: en_US, param1: '{{contact.name}}' }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: reply, contains: 'yes', next: confirmed }",
        "      - { on: status, status: undelivered, next: sms }",
        "      - { on: status, status: no_consent, next: sms }",
        "      - { on: error, next: sms }",
        "      - { on: timeout, next: sms }",
        "  sms:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, reply YES to confirm' }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: reply, contains: 'yes', next: confirmed }",
        "      - { on: timeout, next: done }",
        "  confirmed: { type: goal, name: confirmed, next: done }",
        "  done: { type: end }",
        "");
    private static final String VIBER_SCHEME = String.join("\n",
        "id: viber-sms",
        "version: 1",
        "start: call",
        "blocks:",
        "  call:",
        "    type: voice",
        "    content: { flow: main }",
        "    decisionTime: PT1H",
        "    links:",
        "      - { on: status, status: no_answer, next: viber }",
        "      - { on: error, next: done }",
        "      - { on: timeout, next: done }",
        "  viber:",
        "    type: viber",
        "    content: { text: '{{contact.name}}, we missed you' }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: status, status: unsubscribed, next: done }",
        "      - { on: status, status: undelivered, next: sms }",
        "      - { on: error, next: sms }",
        "      - { on: timeout, next: sms }",
        "  sms:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, we tried to reach you' }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: status, status: delivered, next: done }",
        "      - { on: timeout, next: done }",
        "  done: { type: end }",
        "");

    /**
     * Viber first, then the campaign's call, then SMS. An unsubscribe has no link of its own: the run goes on to the
     * call at the Viber decision time, where the stop-list stops it.
     */
    private static final String VIBER_VOICE_SMS = String.join("\n",
        "id: viber-voice-sms-test",
        "version: 1",
        "start: viber",
        "blocks:",
        "  viber:",
        "    type: viber",
        "    content: { text: '{{contact.name}}, your appointment is tomorrow' }",
        "    decisionTime: PT6S",
        "    links:",
        "      - { on: status, status: read, next: done }",
        "      - { on: status, status: undelivered, next: call }",
        "      - { on: error, next: call }",
        "      - { on: timeout, next: call }",
        "  call:",
        "    type: voice",
        "    content: { flow: main }",
        "    decisionTime: PT10M",
        "    links:",
        "      - { on: status, status: answered, next: done }",
        "      - { on: status, status: no_answer, next: sms }",
        "      - { on: status, status: busy, next: sms }",
        "      - { on: error, next: done }",
        "      - { on: timeout, next: sms }",
        "  sms:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, we could not reach you' }",
        "    decisionTime: PT8S",
        "    links:",
        "      - { on: status, status: delivered, next: done }",
        "      - { on: timeout, next: done }",
        "  done: { type: end }",
        "");

    /**
     * An SMS, then the campaign's call where it was not delivered; where the call is not made within its decision
     * time, a second SMS (which stays waiting for its receipt on these undeliverable numbers).
     */
    private static final String SMS_CALL_SORRY = String.join("\n",
        "id: sms-call-sorry",
        "version: 1",
        "start: sms",
        "blocks:",
        "  sms:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, your appointment is tomorrow' }",
        "    decisionTime: PT10M",
        "    links:",
        "      - { on: status, status: delivered, next: done }",
        "      - { on: status, status: undelivered, next: call }",
        "  call:",
        "    type: voice",
        "    content: { flow: main }",
        "    decisionTime: PT12S",
        "    links:",
        "      - { on: status, status: answered, next: done }",
        "      - { on: error, next: done }",
        "      - { on: timeout, next: sorry }",
        "  sorry:",
        "    type: sms",
        "    content: { text: '{{contact.name}}, we could not call you' }",
        "    decisionTime: PT10M",
        "    links:",
        "      - { on: status, status: delivered, next: done }",
        "      - { on: timeout, next: done }",
        "  done: { type: end }",
        "");

    @TempDir
    Path dataDir;
    private final Vertx pbxVertx = Vertx.vertx();
    private final HttpClient client = HttpClient.newHttpClient();
    private SandboxPbx pbx;
    private SandboxSmsc smsc;
    private SandboxWhatsApp wa;
    private SandboxViber viber;
    private DialerApp app;
    private String token;
    private int port;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop(), 90);
        }
        for (AutoCloseable c : new AutoCloseable[] {smsc, wa, viber}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing a sandbox
                }
            }
        }
        if (pbx != null) {
            Await.result(pbx.close());
        }
        Await.result(pbxVertx.close());
    }

    /** A node whose chat section is {@code chatYaml} (bound by the node's own loader). */
    private void startNode(String chatYaml) throws Exception {
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults()).await();
        smsc = new SandboxSmsc("outdial", "pw-test");
        int smscPort = smsc.start();
        ChatConfig chat = DialerConfig.parse(chatYaml, "dialer.yaml", Map.of()).chat();
        DialerConfig config = TestConfigs.local(dataDir)
            .withAsterisk(List.of(new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "dialer",
                "dialer")))
            .withTrunks(List.of(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+33100000001"), false,
                10, 10, Duration.ofSeconds(4), false)))
            .withDialing(new DialingConfig(1000, 0, 0, Duration.ofMillis(200)))
            .withSmsc(List.of(SmscConfig.of("smsc1", "127.0.0.1", smscPort, "outdial", "SMSC_PW", "Outdial")))
            .withChat(chat);
        startApp(config);
    }

    /** Stops the node and starts a new one on the same database and sandboxes (its port may differ). */
    private void restartNode() throws Exception {
        DialerConfig config = app.config();
        Await.result(app.stop(), 90);
        app = null;
        startApp(config);
    }

    private void startApp(DialerConfig config) throws Exception {
        app = DialerApp.create(config);
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners);
        Wiring.cascade(app, app.config().smsc(), ENV::get, List.of(),
            new PricePlan(Map.of(ChannelType.SMS, 7L, ChannelType.WHATSAPP, 50L, ChannelType.VIBER, 30L), false));
        app.add(Wiring.api(app, runners));
        Await.result(app.start());
        port = app.httpPort();
        token = TestAuth.adminToken(app);
    }

    /** The sandbox Viber peer (bot and Infobip APIs) and a node whose Viber channel uses both, its hooks set. */
    private void startViberNode() throws Exception {
        viber = new SandboxViber("bot-token", "ib-key", "hook-user", "hook-password");
        viber.start();
        startNode(String.join("\n", "chat:", "  viber:",
            "    bot: { baseUrl: '" + viber.botBaseUrl() + "', authTokenEnv: VIBER_TOKEN, senderName: Outdial }",
            "    infobip: { baseUrl: '" + viber.infobipBaseUrl() + "', apiKeyEnv: IB_KEY, sender: Outdial,",
            "               hookUserEnv: IB_USER, hookPasswordEnv: IB_PASSWORD }", ""));
        viber.botWebhook("http://127.0.0.1:" + port + "/hooks/viber/bot");
        viber.partnerWebhook("http://127.0.0.1:" + port + "/hooks/viber/business");
    }

    private HttpResponse<String> send(String method, String path, String body, String type, boolean withToken)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(15));
        if (withToken) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject api(String method, String path, String body, String type, int expected) throws Exception {
        HttpResponse<String> r = send(method, path, body, type, true);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
        return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
    }

    private void createCampaign(String id, String scheme) throws Exception {
        api("POST", "/api/v1/campaigns", definition(id, scheme).encode(), "application/json", 201);
    }

    private static JsonObject definition(String id, String scheme) {
        JsonObject def = new JsonObject().put("id", id).put("region", "FR")
            .put("trunk", new JsonObject().put("name", "carrier")).put("limits", new JsonObject().put("lines", 4))
            .put("attempts", new JsonObject().put("rules", new JsonArray()
                .add(new JsonObject().put("outcome", "NO_ANSWER").put("close", "EXHAUSTED"))
                .add(new JsonObject().put("outcome", "BUSY").put("close", "EXHAUSTED"))));
        if (scheme != null) {
            def.put("scheme", scheme);
        }
        return def;
    }

    private void startCampaign(String id) throws Exception {
        api("POST", "/api/v1/campaigns/" + id + "/state", new JsonObject().put("state", "RUNNING").put("force", true)
            .encode(), "application/json", 200);
    }

    /** Each run's detail by the contact's number, once every run of the campaign ended. */
    private Map<String, JsonObject> endedRuns(String campaign, int count) throws Exception {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject runs = api("GET", "/api/v1/campaigns/" + campaign + "/runs", null, null, 200);
            assertThat(runs.getLong("total")).isEqualTo(count);
            assertThat(runs.getJsonObject("states").getLong("DONE")).as(runs.encode()).isEqualTo(count);
        });
        Map<String, JsonObject> out = new HashMap<>();
        for (Object o : api("GET", "/api/v1/campaigns/" + campaign + "/runs", null, null, 200).getJsonArray("items")) {
            JsonObject run = (JsonObject) o;
            out.put(run.getString("address"), run(campaign, run.getString("contactId")));
        }
        return out;
    }

    private JsonObject run(String campaign, String contactId) throws Exception {
        return api("GET", "/api/v1/campaigns/" + campaign + "/runs/" + contactId, null, null, 200);
    }

    private static JsonObject message(JsonObject run, String channel) {
        return run.getJsonArray("messages").stream().map(m -> (JsonObject) m)
            .filter(m -> m.getString("channel").equals(channel)).findFirst().orElseThrow();
    }

    private static long count(JsonObject run, String channel) {
        return run.getJsonArray("messages").stream().map(m -> (JsonObject) m)
            .filter(m -> m.getString("channel").equals(channel)).count();
    }

    @Test
    @Timeout(300)
    void whatsAppThenSmsWithConsentFromTheImportRepliesLateReadsAndABadSignature() throws Exception {
        wa = new SandboxWhatsApp("wa-token", "wa-app-secret", "1065");
        wa.start();
        startNode(String.join("\n", "chat:", "  whatsapp:", "    baseUrl: '" + wa.baseUrl() + "'",
            "    phoneNumberId: '1065'", "    tokenEnv: WA_TOKEN", "    appSecretEnv: WA_SECRET",
            "    verifyTokenEnv: WA_VERIFY", ""));
        wa.webhook("http://127.0.0.1:" + port + "/hooks/whatsapp");
        String anna = "+33612340015";
        String boris = "+33612340025";
        String chloe = "+33612340035";
        String denis = "+33612340045";
        wa.script(anna, ChatScript.inOrder(Duration.ofMillis(20)).thenButton("Yes", Duration.ofMillis(150)));
        wa.script(boris, ChatScript.fail("131026", Duration.ofMillis(20)));
        smsc.script(boris, RecipientScript.replyWith("yes please", Duration.ofMillis(50)));
        smsc.script(chloe, RecipientScript.deliverAfter(Duration.ofMillis(10)));
        // delivered and read come long after the block's decision time
        wa.script(denis, ChatScript.late(Duration.ofMillis(20), Duration.ofSeconds(14)));
        smsc.script(denis, RecipientScript.deliverAfter(Duration.ofMillis(10)));

        // the verify handshake of a provider: no user token
        HttpResponse<String> verify = send("GET", "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me"
            + "&hub.challenge=4711", null, null, false);
        assertThat(verify.statusCode()).isEqualTo(200);
        assertThat(verify.body()).isEqualTo("4711");
        assertThat(send("GET", "/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null,
            null, false).statusCode()).isEqualTo(403);

        api("PUT", "/api/v1/schemes/wa-sms", WA_SCHEME, "application/yaml", 201);
        createCampaign("wa", "wa-sms");
        // consent per channel comes with the contact import (consent_<channel> column)
        String csv = "phone,name,consent_whatsapp\n" + anna + ",Anna,2026-11-02 web form\n" + boris + ",Boris,yes\n"
            + chloe + ",Chloe,\n" + denis + ",Denis,yes\n";
        JsonObject imp = api("POST", "/api/v1/campaigns/wa/imports?name=contacts.csv", csv, "text/csv", 202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/imports/" + imp.getValue("importId"), null, null, 200)
                .getLong("imported")).isEqualTo(4));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api("GET",
            "/api/v1/imports/" + imp.getValue("importId"), null, null, 200).getString("state"))
            .isNotIn("QUEUED", "RUNNING"));
        startCampaign("wa");

        Map<String, JsonObject> runs = endedRuns("wa", 4);
        JsonObject a = runs.get(anna);
        assertThat(a.getJsonArray("path").getList()).as(a.encodePrettily())
            .containsExactly("call", "wa", "confirmed", "done");
        assertThat(message(a, "voice").getString("status")).isEqualTo("no_answer");
        assertThat(a.getJsonArray("replies").getJsonObject(0).getString("text")).isEqualTo("Yes");
        assertThat(a.getLong("cost")).isEqualTo(50);

        JsonObject b = runs.get(boris);
        assertThat(b.getJsonArray("path").getList()).as(b.encodePrettily())
            .containsExactly("call", "wa", "sms", "confirmed", "done");
        assertThat(message(b, "whatsapp").getString("status")).isEqualTo("undelivered");
        assertThat(message(b, "sms").getString("text")).isEqualTo("Boris, reply YES to confirm");
        assertThat(b.getLong("cost")).isEqualTo(57);

        JsonObject c = runs.get(chloe);
        assertThat(c.getJsonArray("path").getList()).as(c.encodePrettily())
            .containsExactly("call", "wa", "sms", "done");
        assertThat(count(c, "whatsapp")).as("no consent: nothing sent on WhatsApp").isZero();
        assertThat(c.getLong("cost")).isEqualTo(7);

        JsonObject d = runs.get(denis);
        assertThat(d.getJsonArray("path").getList()).as(d.encodePrettily())
            .containsExactly("call", "wa", "sms", "done");
        String denisContact = api("GET", "/api/v1/campaigns/wa/runs", null, null, 200).getJsonArray("items").stream()
            .map(o -> (JsonObject) o).filter(r -> r.getString("address").equals(denis)).findFirst().orElseThrow()
            .getString("contactId");
        // the late delivered and read are recorded on the message, moving nothing
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(message(run("wa", denisContact), "whatsapp").getString("status")).isEqualTo("read"));
        JsonObject dLate = run("wa", denisContact);
        assertThat(dLate.getJsonArray("path").getList()).containsExactly("call", "wa", "sms", "done");
        assertThat(dLate.getLong("cost")).as("WhatsApp 50 and SMS 7, each once").isEqualTo(57);
        assertThat(count(dLate, "whatsapp")).isEqualTo(1);
        assertThat(count(dLate, "sms")).isEqualTo(1);

        List<SentMessage> sent = wa.sent();
        assertThat(sent).as("one WhatsApp template each to Anna, Boris and Denis; none to Chloe").hasSize(3);
        assertThat(sent).extracting(SentMessage::template).containsOnly("appointment_reminder");
        List<SubmittedSm> sms = smsc.submitted();
        assertThat(sms).as("one SMS each to Boris, Chloe and Denis").hasSize(3);
        assertThat(api("GET", "/api/v1/campaigns/wa/runs", null, null, 200).getLong("cost"))
            .isEqualTo(50 + 57 + 7 + 57);
        assertThat(wa.callbacks()).as("every callback the node answered 200 (no user token)")
            .allMatch(at -> at.status() == 200);

        // a callback with a bad signature through the node's HTTP server: 401 and nothing changes
        String annaId = sent.stream().filter(m -> m.to().endsWith("33612340015")).findFirst().orElseThrow().id();
        String forged = new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
            .add(new JsonObject().put("id", "1").put("changes", new JsonArray().add(new JsonObject()
                .put("field", "messages").put("value", new JsonObject().put("messaging_product", "whatsapp")
                    .put("statuses", new JsonArray().add(new JsonObject().put("id", annaId).put("status", "failed")
                        .put("timestamp", Long.toString(Instant.now().getEpochSecond()))
                        .put("recipient_id", "33612340015")
                        .put("errors", new JsonArray().add(new JsonObject().put("code", 131050)))))))))).encode();
        String annaContact = api("GET", "/api/v1/campaigns/wa/runs", null, null, 200).getJsonArray("items").stream()
            .map(o -> (JsonObject) o).filter(r -> r.getString("address").equals(anna)).findFirst().orElseThrow()
            .getString("contactId");
        JsonObject before = run("wa", annaContact);
        HttpRequest bad = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/whatsapp"))
            .header("Content-Type", "application/json")
            .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
            .POST(HttpRequest.BodyPublishers.ofString(forged)).timeout(Duration.ofSeconds(15)).build();
        assertThat(client.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpRequest unsigned = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/whatsapp"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(forged)).timeout(Duration.ofSeconds(15)).build();
        assertThat(client.send(unsigned, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(run("wa", annaContact)).isEqualTo(before);
        // the hooks keep the node's Host check (DNS rebinding)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("POST /hooks/whatsapp HTTP/1.1\r\nHost: evil.example\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).startsWith("HTTP/1.1 403");
        }
        assertThat(api("GET", "/api/v1/stop-list/global", null, null, 200).encode())
            .doesNotContain("612340015");
    }

    @Test
    @Timeout(300)
    void viberAfterTheCallFallsBackToSmsAndAViberUnsubscribeStopsALaterCall() throws Exception {
        startViberNode();
        String eva = "+33612340055";    // a bot subscriber who unsubscribes
        String fedor = "+33612340065";  // reached through Infobip, undeliverable
        String gala = "+33612340075";   // only in the later campaign
        viber.script("vb-user-eva", ChatScript.never().thenUnsubscribe(Duration.ofMillis(200)));
        viber.script(fedor, ChatScript.fail("7", Duration.ofMillis(20)));
        smsc.script(fedor, RecipientScript.deliverAfter(Duration.ofMillis(10)));

        api("PUT", "/api/v1/schemes/viber-sms", VIBER_SCHEME, "application/yaml", 201);
        createCampaign("vb", "viber-sms");
        JdbcContactStore contacts = new JdbcContactStore(app.database().dataSource());
        contacts.insertAll(List.of(contact("vb", eva, Map.of("name", "Eva", "viber_id", "vb-user-eva")),
            contact("vb", fedor, Map.of("name", "Fedor"))));
        startCampaign("vb");

        Map<String, JsonObject> runs = endedRuns("vb", 2);
        JsonObject e = runs.get(eva);
        assertThat(e.getJsonArray("path").getList()).as(e.encodePrettily()).containsExactly("call", "viber", "done");
        assertThat(message(e, "viber").getString("status")).isEqualTo("unsubscribed");
        JsonObject f = runs.get(fedor);
        assertThat(f.getJsonArray("path").getList()).as(f.encodePrettily())
            .containsExactly("call", "viber", "sms", "done");
        assertThat(message(f, "viber").getString("status")).isEqualTo("undelivered");
        assertThat(message(f, "sms").getString("status")).isEqualTo("delivered");
        assertThat(f.getLong("cost")).isEqualTo(37);
        assertThat(viber.sent()).extracting(SentMessage::api).containsExactlyInAnyOrder("viber-bot", "infobip");
        assertThat(smsc.submitted()).hasSize(1);
        assertThat(smsc.submitted().get(0).dest()).endsWith("33612340065");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/stop-list/global", null, null, 200).encode())
                .contains("33612340055"));

        // a later campaign with Eva's number: the scheduler finds it stop-listed and never calls it
        createCampaign("later", null);
        contacts.insertAll(List.of(contact("later", eva, Map.of("name", "Eva")),
            contact("later", gala, Map.of("name", "Gala"))));
        startCampaign("later");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject list = api("GET", "/api/v1/campaigns/later/contacts", null, null, 200);
            assertThat(list.getJsonArray("items")).hasSize(2).allMatch(o -> ((JsonObject) o).getString("state")
                .equals("CLOSED"));
        });
        for (Object o : api("GET", "/api/v1/campaigns/later/contacts", null, null, 200).getJsonArray("items")) {
            JsonObject ct = (JsonObject) o;
            if (ct.getJsonObject("fields").getString("name").equals("Eva")) {
                assertThat(ct.getString("result")).as(ct.encode()).isEqualTo("STOP_LISTED");
                assertThat(ct.getInteger("attempts")).as(ct.encode()).isZero();
            } else {
                assertThat(ct.getInteger("attempts")).as(ct.encode()).isPositive();
            }
        }
    }

    @Test
    @Timeout(300)
    void whatTheChatChannelsLearntOfTheirPeersOutlivesARestart() throws Exception {
        wa = new SandboxWhatsApp("wa-token", "wa-app-secret", "1065");
        wa.start();
        viber = new SandboxViber("bot-token", "ib-key", "hook-user", "hook-password");
        viber.start();
        startNode(String.join("\n", "chat:",
            "  whatsapp: { baseUrl: '" + wa.baseUrl() + "', phoneNumberId: '1065', tokenEnv: WA_TOKEN,",
            "              appSecretEnv: WA_SECRET, verifyTokenEnv: WA_VERIFY }",
            "  viber:",
            "    bot: { baseUrl: '" + viber.botBaseUrl() + "', authTokenEnv: VIBER_TOKEN, senderName: Outdial }", ""));
        String eva = "+33612340155";   // a bot subscriber: unsubscribes once the node has restarted
        String ivan = "+33612340165";  // writes on WhatsApp before the restart: a text may be sent after it
        viber.script("vb-user-eva", ChatScript.never());
        wa.script(ivan, ChatScript.inOrder(Duration.ofMillis(20)));
        hooks();
        wa.postSigned(new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
            .add(new JsonObject().put("id", "waba").put("changes", new JsonArray().add(new JsonObject()
                .put("field", "messages").put("value", new JsonObject().put("messaging_product", "whatsapp")
                    .put("metadata", new JsonObject().put("display_phone_number", "15550001065")
                        .put("phone_number_id", "1065"))
                    .put("messages", new JsonArray().add(new JsonObject().put("from", ivan.substring(1))
                        .put("id", "wamid.in-1").put("timestamp", String.valueOf(Instant.now().getEpochSecond()))
                        .put("type", "text").put("text", new JsonObject().put("body", "hello")))))))))
            .encode());
        await().atMost(Duration.ofSeconds(30)).until(() -> count("chat_inbound", "address = '" + ivan + "'") == 1);
        api("PUT", "/api/v1/schemes/viber-wait", String.join("\n", "id: viber-wait", "version: 1", "start: viber",
            "blocks:",
            "  viber:",
            "    type: viber",
            "    content: { text: '{{contact.name}}, your appointment is tomorrow' }",
            "    decisionTime: PT10M",
            "    links:",
            "      - { on: status, status: unsubscribed, next: done }",
            "      - { on: timeout, next: done }",
            "  done: { type: end }", ""), "application/yaml", 201);
        createCampaign("vw", "viber-wait");
        JdbcContactStore contacts = new JdbcContactStore(app.database().dataSource());
        contacts.insertAll(List.of(contact("vw", eva, Map.of("name", "Eva", "viber_id", "vb-user-eva"))));
        startCampaign("vw");
        await().atMost(Duration.ofSeconds(60)).until(() -> viber.sent().size() == 1
            && count("chat_bot_user", "user_id = 'vb-user-eva' AND address = '" + eva + "'") == 1);

        restartNode();
        hooks();
        // the unsubscribe reaches a node that never sent to Eva: it finds her number in the database
        viber.postBotSigned(new JsonObject().put("event", "unsubscribed").put("timestamp", System.currentTimeMillis())
            .put("user_id", "vb-user-eva").put("message_token", 4_444_444_444L).encode());
        JsonObject e = endedRuns("vw", 1).get(eva);
        assertThat(message(e, "viber").getString("status")).as(e.encodePrettily()).isEqualTo("unsubscribed");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/stop-list/global", null, null, 200).encode())
                .contains("33612340155").doesNotContain("viber:"));

        // Ivan wrote before the restart: his window is open, so a text goes out rather than the template
        api("PUT", "/api/v1/schemes/wa-text", String.join("\n", "id: wa-text", "version: 1", "start: wa",
            "blocks:",
            "  wa:",
            "    type: whatsapp",
            "    content: { text: 'Hello {{contact.name}}', template: appointment_reminder, language: en_US }",
            "    decisionTime: PT8S",
            "    links:",
            "      - { on: status, status: read, next: done }",
            "      - { on: timeout, next: done }",
            "  done: { type: end }", ""), "application/yaml", 201);
        createCampaign("wt", "wa-text");
        contacts = new JdbcContactStore(app.database().dataSource());
        contacts.insertAll(List.of(contact("wt", ivan, Map.of("name", "Ivan", "consent_whatsapp", "yes"))));
        startCampaign("wt");
        endedRuns("wt", 1);
        assertThat(wa.sent()).hasSize(1);
        assertThat(wa.sent().get(0).type()).as(wa.sent().get(0).body()).isEqualTo("text");
    }

    /** Points the sandbox peers' callbacks at the node's hooks. */
    private void hooks() {
        if (wa != null) {
            wa.webhook("http://127.0.0.1:" + port + "/hooks/whatsapp");
        }
        if (viber != null) {
            viber.botWebhook("http://127.0.0.1:" + port + "/hooks/viber/bot");
        }
    }

    private long count(String table, String where) throws Exception {
        try (var c = app.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @Timeout(300)
    void viberFirstCallsOnlyWhereNotSeenSmsWhereNotAnsweredAndAnUnsubscribeStopsTheCall() throws Exception {
        startViberNode();
        // on the sandbox PBX a number ending in 0 answers, in 4 is busy, in 5 does not answer
        String seen = "+33612340120";      // reads the Viber message: never called
        String answers = "+33612340130";   // Viber undelivered, answers the call: no SMS
        String busy = "+33612340134";      // Viber undelivered, busy: SMS
        String silent = "+33612340135";    // Viber undelivered, no answer: SMS
        String unsub = "+33612340140";     // unsubscribes from the bot before the call: never called
        viber.script(seen, ChatScript.inOrder(Duration.ofMillis(50)));
        for (String n : List.of(answers, busy, silent)) {
            viber.script(n, ChatScript.fail("7", Duration.ofMillis(20)));
        }
        viber.script("vb-user-unsub", ChatScript.never().thenUnsubscribe(Duration.ofMillis(200)));

        api("PUT", "/api/v1/schemes/viber-voice-sms-test", VIBER_VOICE_SMS, "application/yaml", 201);
        createCampaign("vvs", "viber-voice-sms-test");
        new JdbcContactStore(app.database().dataSource()).insertAll(List.of(
            contact("vvs", seen, Map.of("name", "Sam")), contact("vvs", answers, Map.of("name", "Ann")),
            contact("vvs", busy, Map.of("name", "Bob")), contact("vvs", silent, Map.of("name", "Sid")),
            contact("vvs", unsub, Map.of("name", "Una", "viber_id", "vb-user-unsub"))));
        startCampaign("vvs");

        // every run ends; the campaign finishes by itself once no contact is left to dial (none held by its run)
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonObject states = api("GET", "/api/v1/campaigns/vvs/runs", null, null, 200).getJsonObject("states");
            assertThat(states.getMap()).isEqualTo(Map.of("DONE", 4, "STOPPED", 1));
            assertThat(api("GET", "/api/v1/campaigns/vvs", null, null, 200).getString("state")).isEqualTo("FINISHED");
        });
        JsonObject all = api("GET", "/api/v1/campaigns/vvs/runs", null, null, 200);
        Map<String, JsonObject> runs = new HashMap<>();
        for (Object o : all.getJsonArray("items")) {
            runs.put(((JsonObject) o).getString("address"), run("vvs", ((JsonObject) o).getString("contactId")));
        }
        assertThat(runs.get(seen).getJsonArray("path").getList()).containsExactly("viber", "done");
        assertThat(message(runs.get(seen), "viber").getString("status")).isEqualTo("read");
        assertThat(runs.get(answers).getJsonArray("path").getList()).containsExactly("viber", "call", "done");
        assertThat(message(runs.get(answers), "voice").getString("status")).isEqualTo("answered");
        for (String n : List.of(busy, silent)) {
            JsonObject r = runs.get(n);
            assertThat(r.getJsonArray("path").getList()).as(r.encodePrettily())
                .containsExactly("viber", "call", "sms", "done");
            assertThat(message(r, "viber").getString("status")).isEqualTo("undelivered");
            assertThat(message(r, "voice").getString("status")).isEqualTo(n.equals(busy) ? "busy" : "no_answer");
            assertThat(message(r, "sms").getString("status")).isEqualTo("delivered");
        }
        JsonObject u = runs.get(unsub);
        assertThat(u.getString("state")).as(u.encodePrettily()).isEqualTo("STOPPED");
        assertThat(count(u, "voice")).isZero();

        // from outside: the numbers the PBX was asked to call, the SMS the SMSC received
        assertThat(pbx.log().endpoints()).as("one call each where the Viber message was not delivered")
            .hasSize(3).anyMatch(e -> e.contains("612340130")).anyMatch(e -> e.contains("612340134"))
            .anyMatch(e -> e.contains("612340135"));
        assertThat(smsc.submitted()).extracting(SubmittedSm::dest).hasSize(2)
            .allMatch(d -> d.endsWith("612340134") || d.endsWith("612340135"));
        for (Object o : api("GET", "/api/v1/campaigns/vvs/contacts", null, null, 200).getJsonArray("items")) {
            JsonObject ct = (JsonObject) o;
            String phone = ct.getString("phone");
            assertThat(ct.getString("state")).as(ct.encode()).isEqualTo("CLOSED");
            if (phone.endsWith("612340140")) {
                assertThat(ct.getString("result")).as(ct.encode()).isEqualTo("STOP_LISTED");
            }
            if (phone.endsWith("612340120") || phone.endsWith("612340140")) {
                assertThat(ct.getInteger("attempts")).as(ct.encode()).isZero();
            } else {
                assertThat(ct.getInteger("attempts")).as(ct.encode()).isEqualTo(1);
            }
        }
    }

    @Test
    @Timeout(300)
    void theSmsVoiceTemplateCallsOnlyWhereTheSmsWasNotDelivered() throws Exception {
        startNode("");
        String delivered = "+33612340210";   // SMS delivered, replies YES: never called
        String undelivered = "+33612340220"; // SMS undelivered: called, answers
        smsc.script(delivered, RecipientScript.replyWith("yes", Duration.ofMillis(50)));
        smsc.script(undelivered, RecipientScript.undeliverable(Duration.ofMillis(50)));
        api("PUT", "/api/v1/schemes/sms-voice", SchemeTemplates.text("sms-voice"), "application/yaml", 201);
        createCampaign("sv", "sms-voice");
        new JdbcContactStore(app.database().dataSource()).insertAll(List.of(
            contact("sv", delivered, Map.of("name", "Dora")), contact("sv", undelivered, Map.of("name", "Ugo"))));
        startCampaign("sv");

        Map<String, JsonObject> runs = endedRuns("sv", 2);
        assertThat(runs.get(delivered).getJsonArray("path").getList()).containsExactly("sms", "confirmed", "done");
        assertThat(runs.get(undelivered).getJsonArray("path").getList()).containsExactly("sms", "call", "done");
        assertThat(message(runs.get(undelivered), "voice").getString("status")).isEqualTo("answered");
        assertThat(pbx.log().endpoints()).hasSize(1).allMatch(e -> e.contains("612340220"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/campaigns/sv", null, null, 200).getString("state")).isEqualTo("FINISHED"));

        // a scheme with a second voice block: the campaign's scheme is refused, naming both blocks
        String twoCalls = SchemeTemplates.text("sms-voice").replace("id: sms-voice", "id: two-calls")
            .replace("      - { on: status, status: answered, next: done }",
                "      - { on: status, status: answered, next: done }\n      - { on: status, status: busy, next: again }")
            .replace("  confirmed:", "  again:\n    type: voice\n    content: { flow: main }\n    decisionTime: PT1H\n"
                + "    links:\n      - { on: timeout, next: done }\n  confirmed:");
        api("PUT", "/api/v1/schemes/two-calls", twoCalls, "application/yaml", 201);
        createCampaign("two", "two-calls");
        startCampaign("two");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/campaigns/two/runs", null, null, 200).getString("problem"))
                .contains("2 voice blocks (again, call)"));
    }

    @Test
    @Timeout(300)
    void aContactWhoseRunLeftTheVoiceBlockBeforeItsCallIsNeverCalled() throws Exception {
        startNode("");
        // on the sandbox PBX a number ending in 0 answers; every SMS here is undeliverable, after 5 s for the first
        // two (so the campaign is paused before their runs reach the call)
        String timedOut = "+33612340310";  // handed to the dialing while paused; the call's decision time runs out
        String cancelled = "+33612340320"; // handed to the dialing while paused; its run is cancelled
        String later = "+33612340330";     // imported while paused, after the two left the call: called
        smsc.script(timedOut, RecipientScript.undeliverable(Duration.ofSeconds(5)));
        smsc.script(cancelled, RecipientScript.undeliverable(Duration.ofSeconds(5)));
        smsc.script(later, RecipientScript.undeliverable(Duration.ofMillis(50)));
        api("PUT", "/api/v1/schemes/sms-call-sorry", SMS_CALL_SORRY, "application/yaml", 201);
        createCampaign("late", "sms-call-sorry");
        JdbcContactStore store = new JdbcContactStore(app.database().dataSource());
        store.insertAll(List.of(contact("late", timedOut, Map.of("name", "Tim")),
            contact("late", cancelled, Map.of("name", "Cat"))));
        startCampaign("late");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/campaigns/late/runs", null, null, 200).getLong("total")).isEqualTo(2));
        api("POST", "/api/v1/campaigns/late/state", new JsonObject().put("state", "PAUSED").encode(),
            "application/json", 200);
        Map<String, String> ids = new HashMap<>();
        for (Object o : api("GET", "/api/v1/campaigns/late/runs", null, null, 200).getJsonArray("items")) {
            ids.put(((JsonObject) o).getString("address"), ((JsonObject) o).getString("contactId"));
        }

        // both runs reach the call: their contacts are handed to the (paused) dialing
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            for (String n : List.of(timedOut, cancelled)) {
                assertThat(run("late", ids.get(n)).getJsonArray("path").getList()).containsExactly("sms", "call");
                assertThat(api("GET", "/api/v1/campaigns/late/contacts/" + ids.get(n), null, null, 200)
                    .getString("state")).isEqualTo("WAITING");
            }
        });
        api("POST", "/api/v1/campaigns/late/runs/" + ids.get(cancelled) + "/cancel", null, null, 200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
            assertThat(run("late", ids.get(timedOut)).getJsonArray("path").getList())
                .containsExactly("sms", "call", "sorry"));
        assertThat(run("late", ids.get(cancelled)).getString("state")).isEqualTo("CANCELLED");

        // resumed: the two are closed at the pick without a call; a contact whose run waits at the call is called
        // (imported before the resume: imported after it, it could come after the campaign finished with the two)
        store.insertAll(List.of(contact("late", later, Map.of("name", "Lea"))));
        startCampaign("late");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonObject runs = api("GET", "/api/v1/campaigns/late/runs", null, null, 200);
            var l = runs.getJsonArray("items").stream().map(o -> (JsonObject) o)
                .filter(r -> r.getString("address").equals(later)).findFirst();
            assertThat(l).as(runs.encode()).isPresent();
            JsonObject detail = run("late", l.get().getString("contactId"));
            assertThat(detail.getString("state")).as(detail.encodePrettily()).isEqualTo("DONE");
            assertThat(message(detail, "voice").getString("status")).isEqualTo("answered");
        });
        for (String n : List.of(timedOut, cancelled)) {
            JsonObject ct = api("GET", "/api/v1/campaigns/late/contacts/" + ids.get(n), null, null, 200);
            assertThat(ct.getString("state")).as(ct.encode()).isEqualTo("CLOSED");
            assertThat(ct.getString("result")).as(ct.encode()).isEqualTo("FAILURE");
            assertThat(ct.getInteger("attempts")).as(ct.encode()).isZero();
        }
        assertThat(api("GET", "/api/v1/campaigns/late/contacts/" + ids.get(timedOut), null, null, 200)
            .getString("resultReason")).isEqualTo("not called: its cascade run left the voice block before the call"
                + " (it went on to block sorry)");
        assertThat(api("GET", "/api/v1/campaigns/late/contacts/" + ids.get(cancelled), null, null, 200)
            .getString("resultReason")).isEqualTo("not called: its cascade run left the voice block before the call"
                + " (cancelled)");
        // from outside: the PBX was asked to call only the contact whose run waited at the call
        assertThat(pbx.log().endpoints()).hasSize(1).allMatch(e -> e.contains("612340330"));
        // the runs that left the call are not moved by the contacts' closing: no voice status, nothing sent again
        JsonObject t = run("late", ids.get(timedOut));
        assertThat(t.getJsonArray("path").getList()).containsExactly("sms", "call", "sorry");
        assertThat(message(t, "voice").getString("status")).isNotIn("answered", "no_answer", "busy");
        assertThat(run("late", ids.get(cancelled)).getJsonArray("path").getList()).containsExactly("sms", "call");
        assertThat(smsc.submitted()).extracting(SubmittedSm::dest).hasSize(4);
    }

    @Test
    @Timeout(300)
    void aDefinitionThatNamesAnotherSchemeOrVersionPinsAgainAndStartedRunsKeepTheirs() throws Exception {
        startNode("");
        String first = "+33612340410";
        String second = "+33612340420";
        String third = "+33612340430";
        String note = String.join("\n", "id: note", "version: 1", "start: sms", "blocks:", "  sms:", "    type: sms",
            "    content: { text: 'note one' }", "    decisionTime: PT5S", "    links:",
            "      - { on: status, status: delivered, next: done }", "      - { on: timeout, next: done }",
            "  done: { type: end }", "");
        api("PUT", "/api/v1/schemes/note", note, "application/yaml", 201);
        createCampaign("pins", "note");
        JdbcContactStore store = new JdbcContactStore(app.database().dataSource());
        store.insertAll(List.of(contact("pins", first, Map.of("name", "One"))));
        startCampaign("pins");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
            assertThat(runOf("pins", first).getString("state")).isEqualTo("DONE"));
        assertThat(runOf("pins", first).getInteger("schemeVersion")).isEqualTo(1);
        assertThat(api("GET", "/api/v1/campaigns/pins/runs", null, null, 200).getJsonObject("pinned").getMap())
            .isEqualTo(Map.of("schemeId", "note", "version", 1));

        // a new version of the scheme does not move the pin, nor does an edit that keeps scheme and schemeVersion
        api("PUT", "/api/v1/schemes/note", note.replace("note one", "note two"), "application/yaml", 201);
        api("POST", "/api/v1/campaigns/pins/state", new JsonObject().put("state", "PAUSED").encode(),
            "application/json", 200);
        api("PUT", "/api/v1/campaigns/pins", definition("pins", "note").put("name", "renamed").encode(),
            "application/json", 200);
        // the node looks at its campaigns every second: the pin holds over a few looks
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> assertThat(api("GET", "/api/v1/campaigns/pins/runs", null, null, 200)
                .getJsonObject("pinned").getMap()).isEqualTo(Map.of("schemeId", "note", "version", 1)));

        // schemeVersion 2 named: pinned again; the run that started keeps version 1, a new contact runs version 2
        api("PUT", "/api/v1/campaigns/pins", definition("pins", "note").put("schemeVersion", 2).encode(),
            "application/json", 200);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
            assertThat(api("GET", "/api/v1/campaigns/pins/runs", null, null, 200).getJsonObject("pinned").getMap())
                .isEqualTo(Map.of("schemeId", "note", "version", 2)));
        // imported before the resume: imported after it, it could come after the campaign finished with no one left
        store.insertAll(List.of(contact("pins", second, Map.of("name", "Two"))));
        startCampaign("pins");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
            assertThat(runOf("pins", second).getString("state")).isEqualTo("DONE"));
        assertThat(runOf("pins", second).getInteger("schemeVersion")).isEqualTo(2);
        assertThat(message(runOf("pins", second), "sms").getString("text")).isEqualTo("note two");
        assertThat(runOf("pins", first).getInteger("schemeVersion")).isEqualTo(1);

        // another scheme named (schemeVersion 0: its latest valid version at the re-pin)
        api("PUT", "/api/v1/schemes/other", note.replace("id: note", "id: other").replace("note one", "other"),
            "application/yaml", 201);
        api("POST", "/api/v1/campaigns/pins/state", new JsonObject().put("state", "PAUSED").encode(),
            "application/json", 200);
        api("PUT", "/api/v1/campaigns/pins", definition("pins", "other").encode(), "application/json", 200);
        // imported before the resume: imported after it, it could come after the campaign finished with no one left
        store.insertAll(List.of(contact("pins", third, Map.of("name", "Three"))));
        startCampaign("pins");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
            assertThat(runOf("pins", third).getString("state")).isEqualTo("DONE"));
        assertThat(runOf("pins", third).getString("schemeId")).isEqualTo("other");
        assertThat(api("GET", "/api/v1/campaigns/pins/runs", null, null, 200).getJsonObject("pinned").getMap())
            .isEqualTo(Map.of("schemeId", "other", "version", 1));
        assertThat(smsc.submitted()).extracting(SubmittedSm::text).containsExactlyInAnyOrder("note one", "note two",
            "other");
    }

    /** The run of the campaign's contact with this number (its detail), or an assertion error while it has none. */
    private JsonObject runOf(String campaign, String phone) throws Exception {
        JsonObject runs = api("GET", "/api/v1/campaigns/" + campaign + "/runs", null, null, 200);
        var r = runs.getJsonArray("items").stream().map(o -> (JsonObject) o)
            .filter(o -> o.getString("address").equals(phone)).findFirst();
        assertThat(r).as(runs.encode()).isPresent();
        return run(campaign, r.get().getString("contactId"));
    }

    private static JdbcContactStore.NewContact contact(String campaign, String phone, Map<String, String> fields) {
        return new JdbcContactStore.NewContact(campaign, fields.get("name"), new PhoneSet(List.of(new Phone("mobile",
            phone, 0, false))), "UTC", fields, ContactState.WAITING, null, Instant.now().minusSeconds(1));
    }
}

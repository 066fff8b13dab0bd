package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.channel.http.ChatHttpConfig;
import io.outdial.fallback.channel.http.Hmac;
import io.outdial.fallback.channel.viber.InfobipViber;
import io.outdial.fallback.channel.viber.ViberBotConfig;
import io.outdial.fallback.channel.viber.ViberChannel;
import io.outdial.fallback.channel.webhook.WebhookChannel;
import io.outdial.fallback.channel.webhook.WebhookConfig;
import io.outdial.fallback.channel.whatsapp.WhatsAppChannel;
import io.outdial.fallback.channel.whatsapp.WhatsAppConfig;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.support.MemoryStopList;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxViber;
import io.outdial.sandbox.chat.SandboxWhatsApp;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every bad inbound webhook is refused with a 4xx and changes nothing: missing or wrong signatures, stale
 * timestamps, malformed bodies, unknown message ids, wrong verify tokens. A valid request next to them is
 * taken, so the refusals are not an endpoint that refuses everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundHooksRefusalIT {

    static final String SCHEME = String.join("\n",
            "id: three", "version: 1", "start: wa", "blocks:",
            "  wa:", "    type: whatsapp", "    content: { template: reminder }", "    decisionTime: PT1H",
            "    links: [ { on: status, status: delivered, next: viber }, { on: timeout, next: done } ]",
            "  viber:", "    type: viber", "    content: { text: 'Hi' }", "    decisionTime: PT1H",
            "    links: [ { on: status, status: delivered, next: hook }, { on: timeout, next: done } ]",
            "  hook:", "    type: webhook", "    content: { url: 'URL' }", "    decisionTime: PT1H",
            "    links: [ { on: status, status: undelivered, next: done }, { on: timeout, next: done } ]",
            "  done: { type: end }");

    static final Map<String, String> ENV = Map.of("WA_TOKEN", "wa-token", "WA_SECRET", "wa-app-secret",
            "WA_VERIFY", "wa-verify", "VIBER_BOT_TOKEN", "bot-token", "IB_KEY", "ib-key", "IB_HOOK_USER", "outdial",
            "IB_HOOK_PASSWORD", "hook-pass", "HOOK_SECRET", "hook-secret");

    static final ChatScript DELIVERED_ONLY = new ChatScript(List.of(
            new ChatScript.Step(ChatScript.Kind.SENT, Duration.ofMillis(10), null),
            new ChatScript.Step(ChatScript.Kind.DELIVERED, Duration.ofMillis(20), null)), null);

    Vertx vertx;
    HttpClient client;
    SandboxWhatsApp wa;
    SandboxViber viber;
    WhatsAppChannel whatsApp;
    ViberChannel viberChannel;
    WebhookChannel webhook;
    HooksServer hooks;
    io.vertx.core.http.HttpServer receiver;
    CascadeEngine engine;
    final InMemoryRunStore store = new InMemoryRunStore();
    String waId;
    String biId;

    @BeforeAll
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        wa = new SandboxWhatsApp("wa-token", "wa-app-secret", "1065");
        wa.start();
        wa.defaultScript(DELIVERED_ONLY);
        viber = new SandboxViber("bot-token", "ib-key", "outdial", "hook-pass");
        viber.start();
        viber.defaultScript(DELIVERED_ONLY);
        receiver = vertx.createHttpServer().requestHandler(r -> r.response().setStatusCode(202).end())
                .listen(0, "127.0.0.1").await();
        whatsApp = new WhatsAppChannel(vertx, Clock.systemUTC(), new WhatsAppConfig(wa.baseUrl(), null, "1065",
                "WA_TOKEN", "WA_SECRET", "WA_VERIFY", null, null), ENV::get);
        viberChannel = new ViberChannel(vertx, Clock.systemUTC(), new ViberBotConfig(viber.botBaseUrl(),
                "VIBER_BOT_TOKEN", "Outdial", 1), new InfobipViber(new InfobipViber.Config(viber.infobipBaseUrl(),
                "IB_KEY", "Outdial", "IB_HOOK_USER", "IB_HOOK_PASSWORD"), Clock.systemUTC(), ENV::get),
                new MemoryStopList()::add, ChatHttpConfig.defaults(), ENV::get);
        webhook = new WebhookChannel(vertx, Clock.systemUTC(), new WebhookConfig("HOOK_SECRET", null, null, null,
                null), ENV::get);
        var scheme = SchemeDocuments.parse(SCHEME.replace("URL", "http://127.0.0.1:" + receiver.actualPort()
                + "/in"), SchemeDocuments.Format.YAML).scheme();
        engine = new CascadeEngine(vertx, Clock.systemUTC(), store, new MemoryStopList(), Schemes.of(List.of(scheme)),
                List.of(whatsApp, viberChannel, webhook), EngineOptions.defaults());
        engine.start().await();
        hooks = new HooksServer(vertx, new InboundHooks(vertx, engine).whatsApp(whatsApp).viber(viberChannel)
                .webhook(webhook));
        wa.webhook(hooks.url("/whatsapp"));
        viber.botWebhook(hooks.url("/viber/bot"));
        viber.partnerWebhook(hooks.url("/viber/business"));
        engine.startRun("r", "camp", "three", 1, new Recipient("c", "+79000001001",
                Map.of("consent_whatsapp", "yes"))).await();
        // WhatsApp delivered -> Viber (Infobip) delivered -> webhook 202 delivered: each id is known afterwards
        await().until(() -> store.messages("r").size() == 3
                && store.messages("r").get(2).status() == Status.DELIVERED
                && wa.callbacks().size() == 2 && viber.callbacks().size() == 1);
        waId = store.messages("r").get(0).providerIds().get(0);
        biId = store.messages("r").get(1).providerIds().get(0);
    }

    @AfterAll
    void tearDown() {
        engine.stop().await();
        hooks.close();
        whatsApp.close();
        viberChannel.close();
        webhook.close();
        wa.close();
        viber.close();
        vertx.close().await();
    }

    int post(String path, MultiMap headers, String body) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(hooks.url(path))
                .setHeaders(headers)).compose(r -> r.send(Buffer.buffer(body))).map(r -> r.statusCode()).await();
    }

    int get(String pathAndQuery) {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(hooks.url(pathAndQuery)))
                .compose(r -> r.send()).map(r -> r.statusCode()).await();
    }

    static MultiMap headers(String... kv) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
        for (int i = 0; i < kv.length; i += 2) {
            m.add(kv[i], kv[i + 1]);
        }
        return m;
    }

    static String waStatus(String id, String status) {
        return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
                .add(new JsonObject().put("id", "w").put("changes", new JsonArray().add(new JsonObject()
                        .put("field", "messages").put("value", new JsonObject().put("messaging_product", "whatsapp")
                                .put("statuses", new JsonArray().add(new JsonObject().put("id", id)
                                        .put("status", status).put("timestamp", "1767000000")
                                        .put("recipient_id", "79000001001")))))))).encode();
    }

    /** The state a refused request must leave alone. */
    String snapshot() {
        return store.messages("r").stream().map(m -> m.id() + ":" + m.status() + ":" + m.parts())
                .reduce("", String::concat) + store.counters("three") + store.run("r").orElseThrow().state()
                + store.steps("r").size();
    }

    @Test
    void whatsAppRefusals() {
        String before = snapshot();
        String read = waStatus(waId, "read");
        assertThat(post("/whatsapp", headers(), read)).as("no signature").isEqualTo(401);
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", "sha256=" + Hmac.sha256Hex("other", read
                .getBytes(StandardCharsets.UTF_8))), read)).as("signed with another secret").isEqualTo(401);
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(read)), read + " "))
                .as("body changed after signing").isEqualTo(401);
        String broken = "{\"object\": \"whatsapp_business_account\", \"entry\": [";
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(broken)), broken))
                .as("malformed JSON").isEqualTo(400);
        String notWa = "{\"object\": \"page\", \"entry\": []}";
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(notWa)), notWa))
                .as("another object").isEqualTo(400);
        String noId = waStatus(waId, "read").replace("\"id\":\"" + waId + "\",", "");
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(noId)), noId))
                .as("a status without id").isEqualTo(400);
        String unknown = waStatus("wamid.NOPE", "read");
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(unknown)), unknown))
                .as("unknown message id").isEqualTo(404);
        assertThat(get("/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42")).isEqualTo(403);
        assertThat(get("/whatsapp?hub.mode=subscribe&hub.challenge=42")).isEqualTo(403);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store.messages("r").get(0).status()).isEqualTo(Status.DELIVERED);

        assertThat(get("/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify&hub.challenge=42")).isEqualTo(200);
        assertThat(post("/whatsapp", headers("X-Hub-Signature-256", wa.signature(read)), read)).isEqualTo(200);
        await().until(() -> store.messages("r").get(0).status() == Status.READ);
    }

    @Test
    void viberRefusals() {
        String before = snapshot();
        String seen = new JsonObject().put("event", "seen").put("timestamp", 1767000000000L)
                .put("message_token", 1L).put("user_id", "u").encode();
        assertThat(post("/viber/bot", headers(), seen)).as("no signature").isEqualTo(401);
        assertThat(post("/viber/bot", headers("X-Viber-Content-Signature", "00" + viber.botSignature(seen)
                .substring(2)), seen)).as("wrong signature").isEqualTo(401);
        assertThat(post("/viber/bot", headers("X-Viber-Content-Signature", viber.botSignature(seen)), seen))
                .as("unknown message token").isEqualTo(404);
        String broken = "{\"event\": ";
        assertThat(post("/viber/bot", headers("X-Viber-Content-Signature", viber.botSignature(broken)), broken))
                .as("malformed").isEqualTo(400);
        String odd = "{\"event\": \"teleport\"}";
        assertThat(post("/viber/bot", headers("X-Viber-Content-Signature", viber.botSignature(odd)), odd))
                .as("unknown event").isEqualTo(400);
        String report = new JsonObject().put("results", new JsonArray().add(new JsonObject().put("messageId", biId)
                .put("to", "79000001001").put("seenAt", "2026-03-02T09:00:00.000+0000"))).encode();
        String basic = "Basic " + Base64.getEncoder().encodeToString("outdial:hook-pass".getBytes(StandardCharsets.UTF_8));
        assertThat(post("/viber/business", headers(), report)).as("no authorization").isEqualTo(401);
        assertThat(post("/viber/business", headers("Authorization", "Basic b3V0ZGlhbDp3cm9uZw=="), report))
                .as("wrong password").isEqualTo(401);
        String unknown = report.replace(biId, "nope-1");
        assertThat(post("/viber/business", headers("Authorization", basic), unknown)).as("unknown id")
                .isEqualTo(404);
        assertThat(post("/viber/business", headers("Authorization", basic), "{\"results\": 7}")).as("malformed")
                .isEqualTo(400);
        assertThat(snapshot()).isEqualTo(before);

        assertThat(post("/viber/business", headers("Authorization", basic), report)).isEqualTo(200);
        await().until(() -> store.messages("r").get(1).status() == Status.READ);
    }

    @Test
    void webhookRefusals() {
        String before = snapshot();
        MessageRecord m = store.messages("r").get(2);
        String st = new JsonObject().put("id", m.id()).put("status", "undelivered").encode();
        byte[] bytes = st.getBytes(StandardCharsets.UTF_8);
        assertThat(post("/webhook", headers(), st)).as("no signature, no timestamp").isEqualTo(401);
        MultiMap good = webhook.sign(bytes);
        MultiMap wrong = headers("X-Outdial-Timestamp", good.get("X-Outdial-Timestamp"), "X-Outdial-Signature",
                "sha256=" + Hmac.sha256Hex("hook-secret", bytes));
        assertThat(post("/webhook", wrong, st)).as("signature without the timestamp").isEqualTo(401);
        long stale = System.currentTimeMillis() / 1000 - 600;
        MultiMap old = headers("X-Outdial-Timestamp", String.valueOf(stale), "X-Outdial-Signature", "sha256="
                + Hmac.sha256Hex("hook-secret", (stale + "." + st).getBytes(StandardCharsets.UTF_8)));
        assertThat(post("/webhook", old, st)).as("stale timestamp").isEqualTo(400);
        String unknown = st.replace(m.id(), "r/99");
        assertThat(post("/webhook", webhook.sign(unknown.getBytes(StandardCharsets.UTF_8)), unknown))
                .as("unknown id").isEqualTo(404);
        String badStatus = st.replace("undelivered", "answered");
        assertThat(post("/webhook", webhook.sign(badStatus.getBytes(StandardCharsets.UTF_8)), badStatus))
                .as("a status the channel cannot report").isEqualTo(400);
        assertThat(post("/webhook", webhook.sign("[1,2".getBytes(StandardCharsets.UTF_8)), "[1,2"))
                .as("malformed").isEqualTo(400);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(store.run("r").orElseThrow().state()).isEqualTo(RunState.WAITING);
        assertThat(store.counters("three").get("hook").get(Counter.DELIVERED)).isEqualTo(1);
    }
}

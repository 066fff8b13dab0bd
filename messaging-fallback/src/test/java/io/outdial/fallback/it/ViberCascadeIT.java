package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.channel.http.ChatHttpConfig;
import io.outdial.fallback.channel.viber.InfobipViber;
import io.outdial.fallback.channel.viber.ViberBotConfig;
import io.outdial.fallback.channel.viber.ViberChannel;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.support.FakeClock;
import io.outdial.fallback.support.MemoryStopList;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxViber;
import io.outdial.sandbox.chat.SentMessage;
import io.outdial.sandbox.smsc.RecipientScript;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Viber runs end to end on loopback: business messages to numbers through the Infobip mapping, bot messages to
 * subscribed users, the sandbox's signed callbacks through {@link InboundHooks}, SMS over SMPP as the fallback.
 */
class ViberCascadeIT {

    static final String SCHEME = String.join("\n",
            "id: viber-sms", "version: 1", "start: viber", "blocks:",
            "  viber:", "    type: viber",
            "    content: { text: 'Hi {{contact.name}}, confirm your visit: reply YES', buttonText: 'Details',"
                    + " buttonUrl: 'https://example.com/v/{{contact.id}}' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: reply, contains: 'yes', next: won }",
            "      - { on: status, status: undelivered, next: sms }",
            "      - { on: status, status: unsubscribed, next: done }",
            "      - { on: error, next: sms }",
            "      - { on: timeout, next: sms }",
            "  sms:", "    type: sms", "    content: { text: 'Hi {{contact.name}}, reply YES' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: status, status: delivered, next: done }",
            "      - { on: timeout, next: done }",
            "  won: { type: goal, name: confirmed, next: done }",
            "  done: { type: end }");

    static final Map<String, String> ENV = Map.of("VIBER_BOT_TOKEN", "bot-token", "IB_KEY", "ib-key",
            "IB_HOOK_USER", "outdial", "IB_HOOK_PASSWORD", "hook-pass", "SANDBOX_SMSC_PASSWORD", "s3cret");

    SmscFixture f;
    SandboxViber viber;
    ViberChannel channel;
    HooksServer hooks;
    CascadeEngine engine;
    final FakeClock clock = new FakeClock();
    final InMemoryRunStore store = new InMemoryRunStore();
    final MemoryStopList stopList = new MemoryStopList();

    @BeforeEach
    void setUp() throws Exception {
        f = new SmscFixture(c -> c);
        viber = new SandboxViber("bot-token", "ib-key", "outdial", "hook-pass");
        viber.start();
        channel = new ViberChannel(f.vertx, clock, new ViberBotConfig(viber.botBaseUrl(), "VIBER_BOT_TOKEN",
                "Outdial", 1), new InfobipViber(new InfobipViber.Config(viber.infobipBaseUrl(), "IB_KEY", "Outdial",
                "IB_HOOK_USER", "IB_HOOK_PASSWORD"), clock, ENV::get), stopList::add, ChatHttpConfig.defaults(), ENV::get);
        SchemeReport report = SchemeDocuments.parse(SCHEME, SchemeDocuments.Format.YAML);
        assertThat(report.isValid()).as(report.render()).isTrue();
        engine = new CascadeEngine(f.vertx, clock, store, stopList, Schemes.of(List.of(report.scheme())),
                List.of(f.channel, channel), EngineOptions.defaults());
        engine.start().await();
        hooks = new HooksServer(f.vertx, new InboundHooks(f.vertx, engine).viber(channel));
        viber.botWebhook(hooks.url("/viber/bot"));
        viber.partnerWebhook(hooks.url("/viber/business"));
    }

    @AfterEach
    void tearDown() {
        engine.stop().await();
        hooks.close();
        channel.close();
        viber.close();
        f.close();
    }

    void start(String run, String number, String viberId) {
        Map<String, String> fields = viberId == null ? Map.of("name", "Ivan", "id", "c-" + run)
                : Map.of("name", "Ivan", "id", "c-" + run, "viber_id", viberId);
        engine.startRun(run, "camp", "viber-sms", 1, new Recipient("c-" + run, number, fields)).await();
    }

    String path(String runId) {
        return store.steps(runId).stream().map(s -> s.blockId() + (s.outcome() == null ? "" : "(" + s.outcome() + ")"))
                .collect(Collectors.joining(" > "));
    }

    @Test
    void anUndeliverableBusinessMessageFallsBackToSms() {
        viber.script("+79000008201", ChatScript.fail("7", Duration.ofMillis(20)));
        start("v1", "+79000008201", null);
        await().until(() -> store.run("v1").orElseThrow().state() == RunState.DONE);
        assertThat(path("v1")).isEqualTo("viber(status undelivered) > sms(status delivered) > done(end)");
        SentMessage sent = viber.sent().get(0);
        assertThat(sent.api()).isEqualTo("infobip");
        assertThat(sent.to()).isEqualTo("79000008201");
        JsonObject content = new JsonObject(sent.body()).getJsonArray("messages").getJsonObject(0)
                .getJsonObject("content");
        assertThat(content.getString("text")).isEqualTo("Hi Ivan, confirm your visit: reply YES");
        assertThat(content.getJsonObject("button").getString("action")).isEqualTo("https://example.com/v/c-v1");
        assertThat(store.messages("v1").get(0).status()).isEqualTo(Status.UNDELIVERED);
        assertThat(f.smsc.submitted()).hasSize(1);
    }

    @Test
    void aBusinessReplyYesReachesTheGoalAndSeenIsRead() {
        viber.script("+79000008202", ChatScript.inOrder(Duration.ofMillis(20)).thenReply("YES!", Duration.ofMillis(200)));
        start("v2", "+79000008202", null);
        await().until(() -> store.run("v2").orElseThrow().state() == RunState.DONE);
        assertThat(path("v2")).isEqualTo("viber(reply contains \"yes\") > won(goal confirmed) > done(end)");
        await().until(() -> store.messages("v2").get(0).status() == Status.READ);
        assertThat(f.smsc.submitted()).isEmpty();
    }

    @Test
    void aBotReplyComesBackToTheRecipientsNumber() {
        viber.script("u-2", ChatScript.inOrder(Duration.ofMillis(20)).thenReply("yes", Duration.ofMillis(200)));
        start("v3", "+79000008203", "u-2");
        await().until(() -> store.run("v3").orElseThrow().state() == RunState.DONE);
        assertThat(path("v3")).isEqualTo("viber(reply contains \"yes\") > won(goal confirmed) > done(end)");
        assertThat(viber.sent()).extracting(SentMessage::api, SentMessage::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple("viber-bot", "u-2"));
        assertThat(store.messages("v3").get(0).status()).isIn(Status.DELIVERED, Status.READ);
    }

    @Test
    void aBotUnsubscribeStopListsTheNumberAndStopsALaterSend() {
        viber.script("u-1", ChatScript.inOrder(Duration.ofMillis(20)).thenUnsubscribe(Duration.ofMillis(150)));
        start("v4", "+79000008204", "u-1");
        await().until(() -> store.run("v4").orElseThrow().state() == RunState.DONE);
        assertThat(path("v4")).isEqualTo("viber(status unsubscribed) > done(end)");
        await().until(() -> stopList.contains("+79000008204"));
        assertThat(viber.isUnsubscribed("u-1")).isTrue();
        start("v5", "+79000008204", "u-1");
        assertThat(store.run("v5").orElseThrow().state()).isEqualTo(RunState.STOPPED);
        assertThat(viber.sent()).hasSize(1);
        assertThat(f.smsc.submitted()).isEmpty();
    }

    @Test
    void aBotRefusalIsATypedErrorThatTakesTheErrorLink() {
        viber.script("u-3", ChatScript.refuse(200, "6", "notSubscribed"));
        f.smsc.script("+79000008206", RecipientScript.deliverAfter(Duration.ofMillis(10)));
        start("v6", "+79000008206", "u-3");
        await().until(() -> store.run("v6").orElseThrow().state() == RunState.DONE);
        assertThat(path("v6")).isEqualTo("viber(error: REJECTED[6]: viber bot refused the message to u-3: "
                + "notSubscribed) > sms(status delivered) > done(end)");
    }
}

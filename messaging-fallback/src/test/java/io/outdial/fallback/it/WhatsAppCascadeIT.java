package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.channel.whatsapp.WhatsAppChannel;
import io.outdial.fallback.channel.whatsapp.WhatsAppConfig;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.support.FakeChannel;
import io.outdial.fallback.support.FakeClock;
import io.outdial.fallback.support.MemoryStopList;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxWhatsApp;
import io.outdial.sandbox.chat.SentMessage;
import io.outdial.sandbox.smsc.RecipientScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WhatsApp runs end to end on loopback: the engine sends through {@link WhatsAppChannel} to the sandbox Cloud
 * API, whose signed notifications come back through {@link InboundHooks} on a real HTTP server; the SMS
 * fallback goes over SMPP to the sandbox SMSC.
 */
class WhatsAppCascadeIT {

    static final String SCHEME = String.join("\n",
            "id: wa-sms", "version: 1", "start: wa", "blocks:",
            "  wa:", "    type: whatsapp",
            "    content: { template: appointment_reminder, language: en_US, param1: '{{contact.name}}',",
            "               text: 'Olga here is your reminder, reply YES' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: reply, contains: 'yes', next: won }",
            "      - { on: status, status: undelivered, next: sms }",
            "      - { on: status, status: rejected, next: sms }",
            "      - { on: status, status: no_consent, next: sms }",
            "      - { on: error, next: sms }",
            "      - { on: timeout, next: sms }",
            "  sms:", "    type: sms", "    content: { text: 'Hello {{contact.name}}, reply YES' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: reply, contains: 'yes', next: won }",
            "      - { on: timeout, next: done }",
            "  won: { type: goal, name: confirmed, next: done }",
            "  done: { type: end }");

    static final Map<String, String> ENV = Map.of("WA_TOKEN", "wa-token", "WA_SECRET", "wa-app-secret",
            "WA_VERIFY", "wa-verify", "SANDBOX_SMSC_PASSWORD", "s3cret");

    SmscFixture f;
    SandboxWhatsApp wa;
    WhatsAppChannel channel;
    HooksServer hooks;
    CascadeEngine engine;
    final FakeClock clock = new FakeClock();
    final InMemoryRunStore store = new InMemoryRunStore();
    final MemoryStopList stopList = new MemoryStopList();

    @BeforeEach
    void setUp() throws Exception {
        f = new SmscFixture(c -> c);
        wa = new SandboxWhatsApp("wa-token", "wa-app-secret", "1065");
        wa.start();
        channel = new WhatsAppChannel(f.vertx, clock, new WhatsAppConfig(wa.baseUrl(), "v21.0", "1065", "WA_TOKEN",
                "WA_SECRET", "WA_VERIFY", null, null), ENV::get);
        SchemeReport report = SchemeDocuments.parse(SCHEME, SchemeDocuments.Format.YAML);
        assertThat(report.isValid()).as(report.render()).isTrue();
        EngineOptions o = new EngineOptions(Duration.ofHours(1), 500,
                new PricePlan(Map.of(ChannelType.SMS, 100L, ChannelType.WHATSAPP, 50L), false), Map.of(), null, null);
        engine = new CascadeEngine(f.vertx, clock, store, stopList, Schemes.of(List.of(report.scheme())),
                List.of(f.channel, channel, new FakeChannel(ChannelType.VOICE)), o);
        engine.start().await();
        hooks = new HooksServer(f.vertx, new InboundHooks(f.vertx, engine).whatsApp(channel));
        wa.webhook(hooks.url("/whatsapp"));
    }

    @AfterEach
    void tearDown() {
        engine.stop().await();
        hooks.close();
        channel.close();
        wa.close();
        f.close();
    }

    void start(String run, String number, boolean consent) {
        Map<String, String> fields = consent ? Map.of("name", "Olga", "consent_whatsapp", "2026-01-10 web form")
                : Map.of("name", "Olga");
        engine.startRun(run, "camp", "wa-sms", 1, new Recipient("c-" + run, number, fields)).await();
    }

    String path(String runId) {
        return store.steps(runId).stream().map(s -> s.blockId() + (s.outcome() == null ? "" : "(" + s.outcome() + ")"))
                .collect(Collectors.joining(" > "));
    }

    long counter(String block, Counter c) {
        return store.counters("wa-sms").getOrDefault(block, Map.of()).getOrDefault(c, 0L);
    }

    @Test
    void aWhatsAppReplyYesReachesTheGoal() {
        wa.script("+790000007101", ChatScript.inOrder(Duration.ofMillis(20)).thenButton("Yes", Duration.ofMillis(150)));
        start("r1", "+790000007101", true);
        await().until(() -> store.run("r1").orElseThrow().state() == RunState.DONE);
        assertThat(path("r1")).isEqualTo("wa(reply contains \"yes\") > won(goal confirmed) > done(end)");
        SentMessage sent = wa.sent().get(0);
        assertThat(sent.type()).isEqualTo("template");
        assertThat(sent.template()).isEqualTo("appointment_reminder");
        assertThat(sent.params()).containsExactly("Olga");
        assertThat(sent.to()).isEqualTo("790000007101");
        await().until(() -> store.messages("r1").get(0).status() == Status.READ);
        assertThat(counter("wa", Counter.READ)).isEqualTo(1);
        assertThat(store.costs("r1")).extracting(e -> e.amount()).containsExactly(50L);
        assertThat(f.smsc.submitted()).isEmpty();
    }

    @Test
    void anUndeliveredWhatsAppFallsBackToSmsWhoseYesReachesTheGoal() {
        wa.script("+790000007102", ChatScript.fail("131026", Duration.ofMillis(20)));
        f.smsc.script("+790000007102", RecipientScript.replyWith("yes please", Duration.ofMillis(50)));
        start("r2", "+790000007102", true);
        await().until(() -> store.run("r2").orElseThrow().state() == RunState.DONE);
        assertThat(path("r2")).isEqualTo("wa(status undelivered) > sms(reply contains \"yes\") > won(goal confirmed)"
                + " > done(end)");
        MessageRecord m = store.messages("r2").get(0);
        assertThat(m.status()).isEqualTo(Status.UNDELIVERED);
        assertThat(f.smsc.submitted()).hasSize(1);
        assertThat(f.smsc.submitted().get(0).text()).isEqualTo("Hello Olga, reply YES");
    }

    @Test
    void aRecipientWithoutConsentIsSkippedWithNoConsentAndItsLinkDecides() {
        start("r3", "+790000007103", false);
        await().until(() -> f.smsc.submitted().size() == 1);
        assertThat(path("r3")).startsWith("wa(status no_consent) > sms");
        assertThat(wa.sent()).isEmpty();
        assertThat(store.messages("r3")).extracting(MessageRecord::channel).containsExactly(ChannelType.SMS);
    }

    @Test
    void aLateReadAfterTheFallbackIsRecordedAndCostedAndNothingIsSentAgain() {
        wa.script("+790000007104", ChatScript.late(Duration.ofMillis(20), Duration.ofMillis(1500)));
        f.smsc.script("+790000007104", RecipientScript.deliverAfter(Duration.ofMillis(10)));
        start("r4", "+790000007104", true);
        await().until(() -> store.messages("r4").get(0).status() == Status.SENT && wa.callbacks().size() >= 1);
        clock.advance(Duration.ofHours(1));
        engine.tick().await();
        await().until(() -> f.smsc.submitted().size() == 1);
        assertThat(path("r4")).isEqualTo("wa(timeout) > sms");
        // delivered and read come after the block was left
        await().atMost(Duration.ofSeconds(20)).until(() -> store.messages("r4").get(0).status() == Status.READ);
        assertThat(counter("wa", Counter.READ)).isEqualTo(1);
        assertThat(counter("wa", Counter.DELIVERED)).isEqualTo(1);
        assertThat(path("r4")).isEqualTo("wa(timeout) > sms");
        assertThat(wa.sent()).hasSize(1);
        assertThat(f.smsc.submitted()).hasSize(1);
        assertThat(store.costs("r4")).extracting(e -> e.amount()).containsExactly(50L, 100L);
    }

    @Test
    void outOfOrderAndRepeatedStatusesEndRead() {
        wa.script("+790000007105", ChatScript.outOfOrder(Duration.ofMillis(20)));
        wa.script("+790000007106", ChatScript.twice(Duration.ofMillis(20)));
        start("r5", "+790000007105", true);
        start("r6", "+790000007106", true);
        await().until(() -> wa.callbacks().stream().filter(a -> a.status() == 200).count() >= 6);
        assertThat(store.messages("r5").get(0).status()).isEqualTo(Status.READ);
        assertThat(store.messages("r6").get(0).status()).isEqualTo(Status.DELIVERED);
        // r5 read before its delivered report counts as delivered once, r6 delivered twice counts once
        assertThat(counter("wa", Counter.DELIVERED)).isEqualTo(2);
        assertThat(counter("wa", Counter.READ)).isEqualTo(1);
    }

    @Test
    void providerFailuresAreRetriedAndARefusalIsATypedError() {
        wa.failNext(2, 500);
        wa.script("+790000007108", ChatScript.refuse(400, "131026", "Message Undeliverable."));
        start("r7", "+790000007107", true);
        start("r8", "+790000007108", true);
        await().until(() -> store.messages("r7").get(0).state() == MessageRecord.MessageState.SUBMITTED);
        assertThat(wa.sent()).extracting(SentMessage::to).containsExactly("790000007107");
        await().until(() -> f.smsc.submitted().size() == 1);
        assertThat(path("r8")).startsWith("wa(error: REJECTED[131026]: whatsapp refused the message to +790000007108: "
                + "Message Undeliverable.) > sms");
    }

    @Test
    void insideTheWindowTheTextIsSentInsteadOfTheTemplate() {
        wa.sendInbound("+790000007109", "hello?");
        await().until(() -> channel.windowOpen("+790000007109"));
        assertThat(channel.windowOpen("+790000007110")).isFalse();
        start("r9", "+790000007109", true);
        start("r10", "+790000007110", true);
        await().until(() -> wa.sent().size() == 2);
        assertThat(wa.sent()).extracting(SentMessage::to, SentMessage::type, SentMessage::text).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("790000007109", "text", "Olga here is your reminder, reply YES"),
                org.assertj.core.groups.Tuple.tuple("790000007110", "template", null));
        clock.advance(Duration.ofHours(25));
        assertThat(channel.windowOpen("+790000007109")).isFalse();
    }
}

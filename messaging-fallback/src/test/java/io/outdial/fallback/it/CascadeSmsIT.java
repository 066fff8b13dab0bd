package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.support.FakeClock;
import io.outdial.fallback.support.MemoryStopList;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SubmittedSm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cascade runs driven by the engine over a real SMPP session to the sandbox SMSC. */
class CascadeSmsIT {

    private static final String SCHEME = String.join("\n",
            "id: e2e", "version: 1", "start: sms", "blocks:",
            "  sms:", "    type: sms", "    content: { text: 'Hello {{contact.name}}, reply YES' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: reply, contains: 'yes', next: won }",
            "      - { on: status, status: undelivered, next: fallback }",
            "      - { on: status, status: rejected, next: fallback }",
            "      - { on: status, status: expired, next: fallback }",
            "      - { on: error, next: fallback }",
            "      - { on: timeout, next: done }",
            "  fallback:", "    type: sms", "    content: { text: 'Second try' }", "    decisionTime: PT1H",
            "    links: [ { on: status, status: delivered, next: done }, { on: timeout, next: done } ]",
            "  won: { type: goal, name: confirmed, next: done }",
            "  done: { type: end }");

    private SmscFixture f;
    private CascadeEngine engine;
    private final FakeClock clock = new FakeClock();
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final MemoryStopList stopList = new MemoryStopList();
    private Scheme scheme;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.stop().await();
        }
        if (f != null) {
            f.close();
        }
    }

    private CascadeEngine engine(SmppChannel channel) {
        scheme = SchemeDocuments.parse(SCHEME, SchemeDocuments.Format.YAML).scheme();
        EngineOptions o = new EngineOptions(Duration.ofHours(1), 500,
                new PricePlan(Map.of(ChannelType.SMS, 100L), true), Map.of(), null, null);
        CascadeEngine e = new CascadeEngine(f.vertx, clock, store, stopList, Schemes.of(List.of(scheme)),
                List.of(channel), o);
        e.start().await();
        return e;
    }

    private void start(String id, String number) {
        engine.startRun(id, "camp", "e2e", 1, new Recipient("c-" + id, number, Map.of("name", "Olga"))).await();
    }

    private String path(String runId) {
        return store.steps(runId).stream().map(s -> s.blockId() + (s.outcome() == null ? "" : "(" + s.outcome() + ")"))
                .collect(Collectors.joining(" > "));
    }

    private long counter(String block, Counter c) {
        return store.counters("e2e").getOrDefault(block, Map.of()).getOrDefault(c, 0L);
    }

    @Test
    void recipientsScriptsDriveTheirRunsDownTheirLinks() throws Exception {
        f = new SmscFixture(c -> c);
        engine = engine(f.channel);
        f.smsc.script("+7002", RecipientScript.undeliverable(Duration.ofMillis(10)));
        f.smsc.script("+7003", RecipientScript.replyWith("Yes!", Duration.ofMillis(10)));
        f.smsc.script("+7004", RecipientScript.receiptTwice(Duration.ofMillis(10)));
        f.smsc.script("+7005", RecipientScript.receiptBeforeResponse());
        f.smsc.script("+7006", RecipientScript.replyWith("STOP", Duration.ofMillis(10)));
        f.smsc.script("+7007", RecipientScript.refuse(0x0B));
        for (int i = 1; i <= 7; i++) {
            start("r" + i, "+700" + i);
        }
        await().until(() -> store.run("r3").orElseThrow().state() == RunState.DONE);
        await().until(() -> counter("sms", Counter.DELIVERED) == 5 && counter("sms", Counter.REPLIED) == 2);
        await().until(() -> store.messages("r2").size() == 2 && store.messages("r2").get(1).status() != Status.SENT);

        assertThat(path("r1")).isEqualTo("sms");
        assertThat(store.messages("r1").get(0).status()).isEqualTo(Status.DELIVERED);
        assertThat(path("r2")).isEqualTo("sms(status undelivered) > fallback");
        assertThat(store.costs("r2")).extracting(e -> e.amount()).containsExactly(100L, -100L, 100L, -100L);
        assertThat(path("r3")).isEqualTo("sms(reply contains \"yes\") > won(goal confirmed) > done(end)");
        assertThat(store.messages("r4").get(0).status()).isEqualTo(Status.DELIVERED);
        assertThat(store.messages("r5").get(0).status()).isEqualTo(Status.DELIVERED);
        assertThat(stopList.contains("+7006")).isTrue();
        assertThat(store.run("r7").orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(path("r7")).startsWith("sms(error: REJECTED: smsc sandbox refused the message to +7007");
        assertThat(counter("won", Counter.GOAL_REACHED)).isEqualTo(1);
        // one submit per message: the SMSC saw the first SMS of each run once, and the two fallbacks
        List<String> dests = f.smsc.submitted().stream().map(SubmittedSm::dest).collect(Collectors.toList());
        assertThat(dests).containsExactlyInAnyOrder("+7001", "+7002", "+7002", "+7003", "+7004", "+7005", "+7006");
        assertThat(f.smsc.submitted().get(0).text()).isEqualTo("Hello Olga, reply YES");
    }

    @Test
    void smscUnbindingMidRunDelaysMessagesButLosesAndRepeatsNone() throws Exception {
        f = new SmscFixture(c -> c.withBinds(1, 5, 200));
        engine = engine(f.channel);
        for (int i = 0; i < 40; i++) {
            engine.startRun("r" + i, "camp", "e2e", 1, new Recipient("c" + i, "+71" + i, Map.of()));
        }
        await().until(() -> f.smsc.submitted().size() >= 10);
        f.smsc.faults().unbindAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("sms", Counter.DELIVERED) == 40);
        assertThat(f.smsc.submitted()).extracting(SubmittedSm::dest).doesNotHaveDuplicates().hasSize(40);
        assertThat(f.smsc.binds()).isGreaterThanOrEqualTo(2);
        assertThat(counter("sms", Counter.SENT)).isEqualTo(40);
        assertThat(counter("sms", Counter.FAILED)).isZero();
    }

    @Test
    void restartedEngineResumesTheDecisionTimeAndSendsNothingTwice() throws Exception {
        f = new SmscFixture(c -> c);
        f.smsc.script("+7008", RecipientScript.neverAnswer());
        engine = engine(f.channel);
        start("r8", "+7008");
        assertThat(store.run("r8").orElseThrow().state()).isEqualTo(RunState.WAITING);
        engine.stop().await();
        // a new engine on the same store; the same SMPP channel now reports to it
        engine = engine(f.channel);
        clock.advance(Duration.ofMinutes(59));
        engine.tick().await();
        assertThat(store.run("r8").orElseThrow().blockId()).isEqualTo("sms");
        clock.advance(Duration.ofMinutes(1));
        engine.tick().await();
        assertThat(path("r8")).isEqualTo("sms(timeout) > done(end)");
        assertThat(f.smsc.submitted()).hasSize(1);
        MessageRecord m = store.messages("r8").get(0);
        assertThat(m.status()).isEqualTo(Status.SENT);
        assertThat(m.cost()).isEqualTo(100L);
    }
}

package io.outdial.fallback.engine;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunStore;
import io.outdial.fallback.store.Step;
import io.outdial.fallback.support.FakeChannel;
import io.outdial.fallback.support.FakeClock;
import io.outdial.fallback.support.MemoryStopList;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** An engine on fakes: a clock moved by hand, channels that accept at once or hold, an in-memory store. */
final class EngineHarness implements AutoCloseable {

    /** SMS; a "yes" reply reaches the goal, failures and silence fall back to a call; key 2 sends a link. */
    static final String SMS_THEN_VOICE = String.join("\n",
            "id: sms-voice", "version: 1", "start: sms", "blocks:",
            "  sms:", "    type: sms", "    content: { text: 'Hi {{contact.name}}, reply YES' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: reply, contains: 'yes', next: won }",
            "      - { on: reply, matches: '^\\s*да', next: won }",
            "      - { on: status, status: undelivered, next: call }",
            "      - { on: status, status: expired, next: call }",
            "      - { on: error, next: call }",
            "      - { on: timeout, next: call }",
            "  call:", "    type: voice", "    content: { flow: main }", "    decisionTime: PT2H", "    links:",
            "      - { on: key, key: '2', next: link }",
            "      - { on: status, status: answered, next: done }",
            "      - { on: timeout, next: done }",
            "  link:", "    type: sms", "    content: { text: 'Your link: https://ex.am/{{contact.id}}' }",
            "    decisionTime: PT1H", "    links:",
            "      - { on: status, status: delivered, next: won }",
            "      - { on: timeout, next: done }",
            "  won: { type: goal, name: confirmed, next: done }",
            "  done: { type: end }");

    /** SMS; silence waits 10 minutes and sends a reminder. */
    static final String REMINDER = String.join("\n",
            "id: reminder", "version: 1", "start: sms", "blocks:",
            "  sms:", "    type: sms", "    content: { text: 'First' }", "    decisionTime: PT30M", "    links:",
            "      - { on: status, status: delivered, next: done }",
            "      - { on: timeout, next: wait }",
            "  wait: { type: delay, duration: PT10M, next: again }",
            "  again:", "    type: sms", "    content: { text: 'Reminder' }", "    decisionTime: PT30M",
            "    links: [ { on: timeout, next: done } ]",
            "  done: { type: end }");

    /** An A/B split between two SMS texts. */
    static final String AB = String.join("\n",
            "id: ab", "version: 1", "start: split", "blocks:",
            "  split:", "    type: split", "    branches:",
            "      - { name: a, percent: 30, next: smsA }",
            "      - { name: b, percent: 70, next: smsB }",
            "  smsA: { type: sms, content: { text: A }, decisionTime: PT1H, links: [ { on: timeout, next: done } ] }",
            "  smsB: { type: sms, content: { text: B }, decisionTime: PT1H, links: [ { on: timeout, next: done } ] }",
            "  done: { type: end }");

    final Vertx vertx = Vertx.vertx();
    final FakeClock clock = new FakeClock();
    final RunStore store;
    final MemoryStopList stopList = new MemoryStopList();
    final List<Scheme> schemes = new ArrayList<>();
    FakeChannel sms = new FakeChannel(ChannelType.SMS);
    FakeChannel voice = new FakeChannel(ChannelType.VOICE);
    EngineOptions options;
    CascadeEngine engine;

    EngineHarness(EngineOptions options) {
        this(options, new InMemoryRunStore());
    }

    EngineHarness(EngineOptions options, RunStore store) {
        this.options = new EngineOptions(Duration.ofHours(1), options.timerBatch(), options.prices(),
                options.dailyCaps(), options.capZone(), options.stopWords());
        this.store = store;
        for (String doc : List.of(SMS_THEN_VOICE, REMINDER, AB)) {
            SchemeReport r = SchemeDocuments.parse(doc, SchemeDocuments.Format.YAML);
            if (!r.isValid()) {
                throw new IllegalStateException(r.render());
            }
            schemes.add(r.scheme());
        }
        engine = newEngine();
        engine.start().await();
    }

    EngineHarness() {
        this(EngineOptions.defaults());
    }

    CascadeEngine newEngine() {
        return new CascadeEngine(vertx, clock, store, stopList, Schemes.of(schemes), List.of(sms, voice), options);
    }

    /** Stops the engine and starts a new one on the same store with fresh channels (a process restart). */
    void restart() {
        engine.stop().await();
        sms = new FakeChannel(ChannelType.SMS);
        voice = new FakeChannel(ChannelType.VOICE);
        engine = newEngine();
        engine.start().await();
    }

    Run start(String runId, String schemeId) {
        return engine.startRun(runId, "camp", schemeId, 1,
                new Recipient("c-" + runId, "+7900" + Math.abs(runId.hashCode() % 10_000_000),
                        Map.of("name", "Анна", "id", "c-" + runId))).await();
    }

    /**
     * Starts a {@code sms-voice} run to {@code address} whose first submit the SMS channel holds (until
     * {@code sms.release}); returns the start, which completes once that submit is answered.
     */
    io.vertx.core.Future<Run> startHeld(String runId, String address) {
        sms.hold(true);
        var started = engine.startRun(runId, null, "sms-voice", 1, new Recipient("c1", address, Map.of()));
        org.awaitility.Awaitility.await().until(() -> sms.held().size() == 1);
        return started;
    }

    Run run(String runId) {
        return store.run(runId).orElseThrow();
    }

    String path(String runId) {
        return store.steps(runId).stream().map(s -> s.blockId() + (s.outcome() == null ? "" : "(" + s.outcome() + ")"))
                .collect(Collectors.joining(" > "));
    }

    List<Step> steps(String runId) {
        return store.steps(runId);
    }

    void advance(Duration d) {
        clock.advance(d);
        engine.tick().await();
    }

    void event(ChannelEvent e) {
        engine.onEvent(e).await();
    }

    ChannelEvent.StatusReport status(ChannelType ch, String providerId, Status st) {
        return new ChannelEvent.StatusReport(ch, providerId, st, null, clock.instant());
    }

    ChannelEvent.Reply reply(String from, String text) {
        return new ChannelEvent.Reply(ChannelType.SMS, from, null, text, clock.instant());
    }

    long counter(String schemeId, String block, Counter c) {
        return store.counters(schemeId).getOrDefault(block, Map.of()).getOrDefault(c, 0L);
    }

    @Override
    public void close() {
        engine.stop().await();
        vertx.close().await();
    }
}

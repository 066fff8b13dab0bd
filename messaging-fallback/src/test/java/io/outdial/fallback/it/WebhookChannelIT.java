package io.outdial.fallback.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.channel.http.ChatHttpConfig;
import io.outdial.fallback.channel.http.Hmac;
import io.outdial.fallback.channel.webhook.WebhookChannel;
import io.outdial.fallback.channel.webhook.WebhookConfig;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeReport;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.support.MemoryStopList;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic webhook channel on loopback: signed POSTs to a receiver that answers as scripted per recipient
 * (5xx then 2xx, 404, always 503, never), retries within the decision time, the answer as the block's status,
 * and signed callbacks with statuses and replies through {@link InboundHooks}.
 */
class WebhookChannelIT {

    static final String SCHEME_TEMPLATE = String.join("\n",
            "id: hook", "version: 1", "start: hook", "blocks:",
            "  hook:", "    type: webhook", "    content: { url: 'URL/{{contact.id}}' }",
            "    decisionTime: PT3S", "    links:",
            "      - { on: reply, contains: 'confirmed', next: won }",
            "      - { on: status, status: undelivered, next: refused }",
            "      - { on: error, next: failed }",
            "      - { on: timeout, next: done }",
            "  won: { type: goal, name: confirmed, next: done }",
            "  refused: { type: goal, name: refused, next: done }",
            "  failed: { type: goal, name: failed, next: done }",
            "  done: { type: end }");

    static final String SECRET = "hook-secret";

    Vertx vertx;
    HttpServer receiver;
    HttpClient client;
    final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    final Map<String, Integer> answer = new ConcurrentHashMap<>();
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Boolean> signaturesOk = new CopyOnWriteArrayList<>();
    WebhookChannel channel;
    HooksServer hooks;
    CascadeEngine engine;
    final InMemoryRunStore store = new InMemoryRunStore();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String who = req.path().substring(req.path().lastIndexOf('/') + 1);
            String ts = req.getHeader("X-Outdial-Timestamp");
            String sig = req.getHeader("X-Outdial-Signature");
            byte[] signed = (ts + "." + body.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            signaturesOk.add(sig != null && Hmac.verify(SECRET, signed, sig.substring("sha256=".length())));
            received.add(who + " " + body);
            if ("hang".equals(who)) {
                return; // never answers
            }
            AtomicInteger left = failuresLeft.get(who);
            if (left != null && left.getAndDecrement() > 0) {
                req.response().setStatusCode(503).end();
                return;
            }
            req.response().setStatusCode(answer.getOrDefault(who, 202)).end();
        })).listen(0, "127.0.0.1").await();
        channel = new WebhookChannel(vertx, Clock.systemUTC(), new WebhookConfig("HOOK_SECRET", null, null, null,
                new ChatHttpConfig(Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(200),
                        Duration.ofMinutes(1))), Map.of("HOOK_SECRET", SECRET)::get);
        String scheme = SCHEME_TEMPLATE.replace("URL", "http://127.0.0.1:" + receiver.actualPort() + "/in");
        SchemeReport report = SchemeDocuments.parse(scheme, SchemeDocuments.Format.YAML);
        assertThat(report.isValid()).as(report.render()).isTrue();
        engine = new CascadeEngine(vertx, Clock.systemUTC(), store, new MemoryStopList(),
                Schemes.of(List.of(report.scheme())), List.of(channel),
                new EngineOptions(Duration.ofMillis(100), 500, null, null, null, null));
        engine.start().await();
        hooks = new HooksServer(vertx, new InboundHooks(vertx, engine).webhook(channel));
    }

    @AfterEach
    void tearDown() {
        engine.stop().await();
        hooks.close();
        channel.close();
        receiver.close().await();
        vertx.close().await();
    }

    void start(String run, String contactId) {
        engine.startRun(run, "camp", "hook", 1, new Recipient(contactId, "+79000009" + run.length() + contactId.length(),
                Map.of("id", contactId))).await();
    }

    String path(String runId) {
        return store.steps(runId).stream().map(s -> s.blockId() + (s.outcome() == null ? "" : "(" + s.outcome() + ")"))
                .collect(Collectors.joining(" > "));
    }

    int post(String path, MultiMap headers, String body) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(hooks.url(path))
                .setHeaders(headers)).compose(r -> r.send(Buffer.buffer(body))).map(r -> r.statusCode()).await();
    }

    @Test
    void serverErrorsAreRetriedWithTheSameSignedBodyUntilTheReceiverTakesIt() {
        failuresLeft.put("c1", new AtomicInteger(2));
        start("w1", "c1");
        await().until(() -> store.messages("w1").size() == 1 && store.messages("w1").get(0).status() == Status.DELIVERED);
        List<String> bodies = received.stream().filter(s -> s.startsWith("c1 ")).collect(Collectors.toList());
        assertThat(bodies).hasSize(3).containsOnly(bodies.get(0));
        assertThat(signaturesOk).containsOnly(true);
        JsonObject doc = new JsonObject(bodies.get(0).substring(3));
        assertThat(doc.getString("id")).isEqualTo("w1/1");
        assertThat(doc.getString("blockId")).isEqualTo("hook");
    }

    @Test
    void aClientErrorIsTheUndeliveredStatusAndItsLinkDecides() {
        answer.put("c2", 404);
        start("w2", "c2");
        await().until(() -> store.run("w2").orElseThrow().state() == RunState.DONE);
        assertThat(path("w2")).isEqualTo("hook(status undelivered) > refused(goal refused) > done(end)");
        assertThat(store.messages("w2").get(0).status()).isEqualTo(Status.UNDELIVERED);
        assertThat(received.stream().filter(s -> s.startsWith("c2 "))).hasSize(1);
    }

    @Test
    void aReceiverThatNeverAnswersOrAlwaysFailsEndsInTheErrorLinkWithinTheDecisionTime() {
        failuresLeft.put("c3", new AtomicInteger(1_000));
        start("w3", "c3");
        start("w4", "hang");
        await().atMost(Duration.ofSeconds(30)).until(() -> store.run("w3").orElseThrow().state() == RunState.DONE
                && store.run("w4").orElseThrow().state() == RunState.DONE);
        assertThat(path("w3")).startsWith("hook(error: UNAVAILABLE: ").endsWith("> failed(goal failed) > done(end)");
        assertThat(path("w4")).startsWith("hook(error: TIMEOUT: ");
        long attempts = received.stream().filter(s -> s.startsWith("c3 ")).count();
        assertThat(attempts).isGreaterThan(1).isLessThan(100);
    }

    @Test
    void signedCallbacksReportRepliesAndStatuses() {
        start("w5", "c5");
        await().until(() -> store.messages("w5").size() == 1 && store.messages("w5").get(0).status() == Status.DELIVERED);
        String reply = new JsonObject().put("from", store.messages("w5").get(0).address()).put("text", "Confirmed")
                .encode();
        assertThat(post("/webhook", channel.sign(reply.getBytes(StandardCharsets.UTF_8)), reply)).isEqualTo(200);
        await().until(() -> store.run("w5").orElseThrow().state() == RunState.DONE);
        assertThat(path("w5")).isEqualTo("hook(reply contains \"confirmed\") > won(goal confirmed) > done(end)");
    }
}

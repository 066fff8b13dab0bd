package io.outdial.bench.messaging;

import io.outdial.fallback.hooks.InboundHooks;
import io.outdial.fallback.channel.http.Hmac;
import io.outdial.fallback.channel.whatsapp.WhatsAppChannel;
import io.outdial.fallback.channel.whatsapp.WhatsAppConfig;
import io.outdial.fallback.engine.CascadeEngine;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.engine.StopList;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.store.InMemoryRunStore;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxWhatsApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * Webhook intake load run, not JMH: signed WhatsApp status callbacks posted over loopback HTTP to a Vert.x server
 * carrying {@link InboundHooks} (signature check, parsing, the known-id check, the engine recording each status on
 * its message), and in the same run to a <b>bare</b> Vert.x handler that only checks the same signature and answers
 * 200. Each round first sends {@code messages} WhatsApp messages through the channel to the sandbox Cloud API (not
 * timed, so every callback names a known message), then posts {@code sent}, {@code delivered} and {@code read} for
 * each (3 × messages callbacks, every one a new status) to the hooks side and as many to the bare side, in turns of
 * {@code chunk}, {@code concurrency} requests in flight. Reports callbacks per second and p50/p99 latency of each
 * side.
 *
 * <p>Run with {@code java -cp bench/target/benchmarks.jar io.outdial.bench.messaging.WebhookIntakeLoad}; system
 * properties {@code messages} 2000 per round, {@code rounds} 3, {@code chunk} 1500, {@code concurrency} 32,
 * {@code warmupRounds} 1. The run stops by itself.
 */
public final class WebhookIntakeLoad {
    private static final int MESSAGES = Integer.getInteger("messages", 2_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final int WARMUP_ROUNDS = Integer.getInteger("warmupRounds", 1);
    private static final int CHUNK = Integer.getInteger("chunk", 1_500);
    private static final int CONCURRENCY = Integer.getInteger("concurrency", 32);
    private static final String SECRET = "bench-app-secret";
    private static final String SCHEME = String.join("\n", "id: intake", "version: 1", "start: wa", "blocks:",
        "  wa:", "    type: whatsapp", "    content: { template: reminder }", "    decisionTime: PT24H",
        "    links: [ { on: timeout, next: done } ]", "  done: { type: end }");

    private WebhookIntakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.out.printf(Locale.ROOT, "webhook intake: %d messages x 3 statuses x %d rounds (+%d warm-up), turns of"
                + " %d, %d in flight, %d CPUs, load average %s%n", MESSAGES, ROUNDS, WARMUP_ROUNDS, CHUNK,
            CONCURRENCY, Runtime.getRuntime().availableProcessors(), loadAverage());
        Vertx vertx = Vertx.vertx();
        SandboxWhatsApp wa = new SandboxWhatsApp("bench-token", SECRET, "1065");
        Map<String, String> env = Map.of("T", "bench-token", "S", SECRET, "V", "verify");
        try {
            wa.start();
            wa.defaultScript(ChatScript.never());
            WhatsAppChannel channel = new WhatsAppChannel(vertx, Clock.systemUTC(), new WhatsAppConfig(wa.baseUrl(),
                null, "1065", "T", "S", "V", null, null), env::get);
            InMemoryRunStore store = new InMemoryRunStore();
            StopList none = new StopList() {
                @Override
                public boolean contains(String address) {
                    return false;
                }

                @Override
                public void add(String address, String reason) {
                }
            };
            CascadeEngine engine = new CascadeEngine(vertx, Clock.systemUTC(), store, none,
                Schemes.of(List.of(SchemeDocuments.parse(SCHEME, SchemeDocuments.Format.YAML).scheme())),
                List.of(channel), EngineOptions.defaults());
            engine.start().await();
            Router root = Router.router(vertx);
            root.route("/hooks/*").subRouter(new InboundHooks(vertx, engine).whatsApp(channel).router());
            HttpServer hooks = vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1").await();
            HttpServer bare = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                String sig = req.getHeader("X-Hub-Signature-256");
                boolean ok = sig != null && sig.startsWith("sha256=")
                    && Hmac.verify(SECRET, b.getBytes(), sig.substring(7));
                req.response().setStatusCode(ok ? 200 : 401).end("{}");
            })).listen(0, "127.0.0.1").await();
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONCURRENCY));
            String hooksUrl = "http://127.0.0.1:" + hooks.actualPort() + "/hooks/whatsapp";
            String bareUrl = "http://127.0.0.1:" + bare.actualPort() + "/";
            for (int r = 1 - WARMUP_ROUNDS; r <= ROUNDS; r++) {
                List<String> ids = prepare(engine, store, r, wa);
                List<String> bodies = new ArrayList<>();
                for (String status : List.of("sent", "delivered", "read")) {
                    for (String id : ids) {
                        bodies.add(statusBody(id, status));
                    }
                }
                Histogram hh = new Histogram(60_000_000_000L, 3);
                Histogram bh = new Histogram(60_000_000_000L, 3);
                long hooksNanos = 0;
                long bareNanos = 0;
                for (int from = 0, turn = 0; from < bodies.size(); from += CHUNK, turn++) {
                    List<String> part = bodies.subList(from, Math.min(bodies.size(), from + CHUNK));
                    if (turn % 2 == 0) {
                        hooksNanos += post(client, hooksUrl, part, hh, wa);
                        bareNanos += post(client, bareUrl, part, bh, wa);
                    } else {
                        bareNanos += post(client, bareUrl, part, bh, wa);
                        hooksNanos += post(client, hooksUrl, part, hh, wa);
                    }
                }
                long recorded = store.messages("b" + r + "-0").isEmpty() ? 0 : ids.size();
                for (int i = 0; i < ids.size(); i++) {
                    MessageRecord m = store.messages("b" + r + "-" + i).get(0);
                    if (m.status() != io.outdial.fallback.scheme.Status.READ) {
                        throw new IllegalStateException("message " + m.id() + " ended " + m.status());
                    }
                }
                if (r >= 1) {
                    double hr = bodies.size() / (hooksNanos / 1e9);
                    double br = bodies.size() / (bareNanos / 1e9);
                    System.out.printf(Locale.ROOT, "round %d: hooks %,.0f/s p50 %.2f ms p99 %.2f ms | bare %,.0f/s p50"
                            + " %.2f ms p99 %.2f ms | hooks/bare %.2f (%d messages read)%n", r, hr,
                        hh.getValueAtPercentile(50) / 1e6, hh.getValueAtPercentile(99) / 1e6, br,
                        bh.getValueAtPercentile(50) / 1e6, bh.getValueAtPercentile(99) / 1e6, hr / br, recorded);
                }
            }
            engine.stop().await();
            channel.close();
        } finally {
            wa.close();
            vertx.close().await();
        }
        System.out.println("load average at the end: " + loadAverage());
        System.exit(0);
    }

    /** Starts one run per message (not timed) and waits until each message is accepted; returns the wamids. */
    private static List<String> prepare(CascadeEngine engine, InMemoryRunStore store, int round, SandboxWhatsApp wa) {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            all.add(engine.startRun("b" + round + "-" + i, "bench", "intake", 1, new Recipient("c" + i,
                "+7900" + String.format(Locale.ROOT, "%07d", i), Map.of("consent_whatsapp", "yes"))));
        }
        Future.all(all).await();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(store.messages("b" + round + "-" + i).get(0).providerIds().get(0));
        }
        return ids;
    }

    private static String statusBody(String id, String status) {
        return new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
            .add(new JsonObject().put("id", "bench").put("changes", new JsonArray().add(new JsonObject()
                .put("field", "messages").put("value", new JsonObject().put("messaging_product", "whatsapp")
                    .put("metadata", new JsonObject().put("display_phone_number", "15550000000")
                        .put("phone_number_id", "1065"))
                    .put("statuses", new JsonArray().add(new JsonObject().put("id", id).put("status", status)
                        .put("timestamp", String.valueOf(System.currentTimeMillis() / 1000))
                        .put("recipient_id", "79000000000")))))))).encode();
    }

    /** Posts every body with {@code CONCURRENCY} in flight; returns the elapsed nanoseconds. */
    private static long post(HttpClient client, String url, List<String> bodies, Histogram h, SandboxWhatsApp wa)
        throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        long start = System.nanoTime();
        for (int c = 0; c < Math.min(CONCURRENCY, bodies.size()); c++) {
            sendNext(client, url, bodies, next, done, h, wa, finished);
        }
        finished.get(120, TimeUnit.SECONDS);
        return System.nanoTime() - start;
    }

    private static void sendNext(HttpClient client, String url, List<String> bodies, AtomicInteger next,
                                 AtomicInteger done, Histogram h, SandboxWhatsApp wa, CompletableFuture<Void> finished) {
        int i = next.getAndIncrement();
        if (i >= bodies.size()) {
            return;
        }
        String body = bodies.get(i);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
            .add("X-Hub-Signature-256", wa.signature(body));
        long t0 = System.nanoTime();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setHeaders(headers))
            .compose(req -> req.send(Buffer.buffer(body))).compose(resp -> resp.body().map(resp.statusCode()))
            .onComplete(ar -> {
                if (ar.failed() || ar.result() != 200) {
                    finished.completeExceptionally(new IllegalStateException(url + " answered "
                        + (ar.failed() ? ar.cause() : ar.result())));
                    return;
                }
                synchronized (h) {
                    h.recordValue(System.nanoTime() - t0);
                }
                if (done.incrementAndGet() == bodies.size()) {
                    finished.complete(null);
                } else {
                    sendNext(client, url, bodies, next, done, h, wa, finished);
                }
            });
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

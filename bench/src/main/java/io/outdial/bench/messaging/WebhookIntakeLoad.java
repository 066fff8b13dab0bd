package io.outdial.bench.messaging;

import io.outdial.bench.fullstack.Postgres;
import io.outdial.dialer.cascade.BenchRunStores;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.DatabaseConfig;
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
import io.outdial.fallback.store.RunStore;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxWhatsApp;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * Webhook intake load run, not JMH: signed WhatsApp status callbacks posted over loopback HTTP to a Vert.x server
 * carrying {@link InboundHooks} (signature check, parsing, the known-id check, the engine recording each status on
 * its message in its run store), and in the same run to a <b>bare</b> Vert.x handler that only checks the same signature and answers
 * 200. Each round first sends {@code messages} WhatsApp messages through the channel to the sandbox Cloud API (not
 * timed, so every callback names a known message), then posts {@code sent}, {@code delivered} and {@code read} for
 * each (3 × messages callbacks, every one a new status) to the hooks side and as many to the bare side, in turns of
 * {@code chunk}, {@code concurrency} requests in flight. Reports callbacks per second and p50/p99 latency of each
 * side.
 *
 * <p>Run with {@code java -cp bench/target/benchmarks.jar io.outdial.bench.messaging.WebhookIntakeLoad}; system
 * properties {@code messages} 1000 per round, {@code rounds} 3, {@code chunk} 500, {@code concurrency} 32,
 * {@code warmupRounds} 1, {@code turnTimeoutS} 300 (a turn that takes longer fails the run and lists every request
 * still open: its phase, threads, and what the server saw of it), {@code requestTimeoutMs} 30000 (connect and idle
 * timeout of each request), {@code retries} 2, {@code store} {@code postgres} (the engine on {@code JdbcRunStore}
 * over a PostgreSQL server of its own) or {@code memory} ({@link InMemoryRunStore}), {@code dbPool} 10. The run
 * stops by itself.
 */
public final class WebhookIntakeLoad {
    private static final int MESSAGES = Integer.getInteger("messages", 1_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final int WARMUP_ROUNDS = Integer.getInteger("warmupRounds", 1);
    private static final int CHUNK = Integer.getInteger("chunk", 500);
    private static final int CONCURRENCY = Integer.getInteger("concurrency", 32);
    private static final long TURN_TIMEOUT_S = Long.getLong("turnTimeoutS", 300);
    private static final long REQUEST_TIMEOUT_MS = Long.getLong("requestTimeoutMs", 30_000);
    private static final int RETRIES = Integer.getInteger("retries", 2);
    private static final String STORE = System.getProperty("store", "postgres");
    private static final int DB_POOL = Integer.getInteger("dbPool", 10);
    /** Highest latency the histograms hold; a longer one is recorded as this. */
    private static final long HIGHEST_NANOS = 600_000_000_000L;
    /** Names each request (turn/index/attempt) so the servers can say what they saw of it. */
    private static final String SEQ_HEADER = "X-Bench-Request";
    private static final Map<String, String> SERVER_SAW = new ConcurrentHashMap<>();
    private static final String SECRET = "bench-app-secret";
    private static final String SCHEME = String.join("\n", "id: intake", "version: 1", "start: wa", "blocks:",
        "  wa:", "    type: whatsapp", "    content: { template: reminder }", "    decisionTime: PT24H",
        "    links: [ { on: timeout, next: done } ]", "  done: { type: end }");

    private WebhookIntakeLoad() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        boolean onPostgres = !"memory".equals(STORE);
        System.out.printf(Locale.ROOT, "webhook intake: %d messages x 3 statuses x %d rounds (+%d warm-up), turns of"
                + " %d, %d in flight, request timeout %d ms, %d retries, store %s, %d CPUs, load average %s%n",
            MESSAGES, ROUNDS, WARMUP_ROUNDS, CHUNK, CONCURRENCY, REQUEST_TIMEOUT_MS, RETRIES,
            onPostgres ? "JdbcRunStore on PostgreSQL" : "InMemoryRunStore", Runtime.getRuntime().availableProcessors(),
            loadAverage());
        Vertx vertx = Vertx.vertx();
        AtomicInteger uncaught = new AtomicInteger();
        vertx.exceptionHandler(e -> {
            uncaught.incrementAndGet();
            System.err.println("uncaught exception on a Vert.x thread: " + e);
            e.printStackTrace();
        });
        SandboxWhatsApp wa = new SandboxWhatsApp("bench-token", SECRET, "1065");
        Map<String, String> env = Map.of("T", "bench-token", "S", SECRET, "V", "verify");
        Postgres pg = null;
        Database db = null;
        try {
            wa.start();
            wa.defaultScript(ChatScript.never());
            WhatsAppChannel channel = new WhatsAppChannel(vertx, Clock.systemUTC(), new WhatsAppConfig(wa.baseUrl(),
                null, "1065", "T", "S", "V", null, null), env::get);
            RunStore store;
            if (onPostgres) {
                pg = Postgres.start();
                db = Database.create(vertx, new DatabaseConfig(pg.createDatabase("intake_bench"), "postgres", "",
                    Files.createTempDirectory("intake-bench").toString(), DB_POOL, Duration.ofSeconds(30)));
                db.start().await();
                store = BenchRunStores.jdbc(db.dataSource());
            } else {
                store = new InMemoryRunStore();
            }
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
            root.route().handler(ctx -> {
                String tag = ctx.request().getHeader(SEQ_HEADER);
                if (tag != null) {
                    SERVER_SAW.put(tag, "received");
                    ctx.addEndHandler(ar -> SERVER_SAW.put(tag, ar.succeeded()
                        ? "answered " + ctx.response().getStatusCode() : "answer not written: " + ar.cause()));
                }
                ctx.next();
            });
            root.route("/hooks/*").subRouter(new InboundHooks(vertx, engine).whatsApp(channel).router());
            Counts serverConns = new Counts();
            HttpServer hooks = vertx.createHttpServer().connectionHandler(serverConns::opened).requestHandler(root)
                .listen(0, "127.0.0.1").await();
            HttpServer bare = vertx.createHttpServer().connectionHandler(serverConns::opened).requestHandler(req -> {
                String tag = req.getHeader(SEQ_HEADER);
                if (tag != null) {
                    SERVER_SAW.put(tag, "received");
                }
                req.body().onComplete(ar -> {
                    if (ar.failed()) {
                        if (tag != null) {
                            SERVER_SAW.put(tag, "body not read: " + ar.cause());
                        }
                        return;
                    }
                    String sig = req.getHeader("X-Hub-Signature-256");
                    boolean ok = sig != null && sig.startsWith("sha256=")
                        && Hmac.verify(SECRET, ar.result().getBytes(), sig.substring(7));
                    req.response().setStatusCode(ok ? 200 : 401).end("{}").onComplete(w -> {
                        if (tag != null) {
                            SERVER_SAW.put(tag, w.succeeded() ? "answered " + (ok ? 200 : 401)
                                : "answer not written: " + w.cause());
                        }
                    });
                });
            }).listen(0, "127.0.0.1").await();
            Counts clientConns = new Counts();
            HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
                .with(new PoolOptions().setHttp1MaxSize(CONCURRENCY)).withConnectHandler(clientConns::opened).build();
            String hooksUrl = "http://127.0.0.1:" + hooks.actualPort() + "/hooks/whatsapp";
            String bareUrl = "http://127.0.0.1:" + bare.actualPort() + "/";
            for (int r = 1 - WARMUP_ROUNDS; r <= ROUNDS; r++) {
                SERVER_SAW.clear();
                List<String> ids = prepare(engine, store, r, wa);
                List<String> bodies = new ArrayList<>();
                for (String status : List.of("sent", "delivered", "read")) {
                    for (String id : ids) {
                        bodies.add(statusBody(id, status));
                    }
                }
                Histogram hh = new Histogram(HIGHEST_NANOS, 3);
                Histogram bh = new Histogram(HIGHEST_NANOS, 3);
                Tally ht = new Tally();
                Tally bt = new Tally();
                long hooksNanos = 0;
                long bareNanos = 0;
                for (int from = 0, turn = 0; from < bodies.size(); from += CHUNK, turn++) {
                    List<String> part = bodies.subList(from, Math.min(bodies.size(), from + CHUNK));
                    String id = r + "." + turn;
                    if (turn % 2 == 0) {
                        hooksNanos += post(client, hooksUrl, part, hh, wa, ht, "h" + id);
                        bareNanos += post(client, bareUrl, part, bh, wa, bt, "b" + id);
                    } else {
                        bareNanos += post(client, bareUrl, part, bh, wa, bt, "b" + id);
                        hooksNanos += post(client, hooksUrl, part, hh, wa, ht, "h" + id);
                    }
                }
                for (int i = 0; i < ids.size(); i++) {
                    MessageRecord m = store.messages("b" + r + "-" + i).get(0);
                    if (m.status() != io.outdial.fallback.scheme.Status.READ) {
                        throw new IllegalStateException("message " + m.id() + " ended " + m.status());
                    }
                }
                if (r >= 1) {
                    double hr = bodies.size() / (hooksNanos / 1e9);
                    double br = bodies.size() / (bareNanos / 1e9);
                    System.out.printf(Locale.ROOT, "round %d: hooks %,.0f/s p50 %.2f ms p99 %.2f ms max %.1f ms | bare"
                            + " %,.0f/s p50 %.2f ms p99 %.2f ms max %.1f ms | hooks/bare %.2f (%d messages read);"
                            + " hooks %s, bare %s; connections: client %s, servers %s; load average %s%n", r, hr,
                        hh.getValueAtPercentile(50) / 1e6, hh.getValueAtPercentile(99) / 1e6, hh.getMaxValue() / 1e6,
                        br, bh.getValueAtPercentile(50) / 1e6, bh.getValueAtPercentile(99) / 1e6,
                        bh.getMaxValue() / 1e6, hr / br, ids.size(), ht, bt, clientConns, serverConns,
                        loadAverage());
                } else {
                    System.out.printf(Locale.ROOT, "warm-up round %d done: hooks %s, bare %s%n", r, ht, bt);
                }
            }
            engine.stop().await();
            channel.close();
        } finally {
            wa.close();
            if (db != null) {
                db.close().await();
            }
            vertx.close().await();
            if (pg != null) {
                pg.close();
            }
        }
        System.out.println("uncaught exceptions on Vert.x threads: " + uncaught.get() + "; load average at the end: "
            + loadAverage());
        System.exit(0);
    }

    /** Connections opened and closed so far. */
    private static final class Counts {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        void opened(HttpConnection c) {
            opened.incrementAndGet();
            c.closeHandler(v -> closed.incrementAndGet());
        }

        @Override
        public String toString() {
            return opened.get() + " opened, " + closed.get() + " closed";
        }
    }

    /** Starts one run per message (not timed) and waits until each message is accepted; returns the wamids. */
    private static List<String> prepare(CascadeEngine engine, RunStore store, int round, SandboxWhatsApp wa) {
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

    /**
     * Posts every body with {@code CONCURRENCY} in flight; returns the elapsed nanoseconds. A request that fails
     * (connection, or no answer within {@code requestTimeoutMs} of asking the pool or of the last byte) is sent
     * again up to {@code retries} times and counted; a non-200 answer, an exception in a handler, or a turn over
     * {@code turnTimeoutS} fails the run with every request still open, its phase, and what the server saw of it.
     */
    private static long post(HttpClient client, String url, List<String> bodies, Histogram h, SandboxWhatsApp wa,
                             Tally tally, String turnId) throws Exception {
        Turn t = new Turn(client, url, bodies, h, wa, tally, turnId);
        long start = System.nanoTime();
        for (int c = 0; c < Math.min(CONCURRENCY, bodies.size()); c++) {
            sendNext(t);
        }
        try {
            t.finished.get(TURN_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(url + ": " + t.done.get() + " of " + bodies.size() + " answered, "
                + Math.min(t.next.get(), bodies.size()) + " sent, after " + TURN_TIMEOUT_S + " s; open: "
                + t.open(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage() + "; open: " + t.open(), e.getCause());
        }
        return System.nanoTime() - start;
    }

    private static void sendNext(Turn t) {
        int i = t.next.getAndIncrement();
        if (i >= t.bodies.size()) {
            return;
        }
        Pending p = new Pending(i, System.nanoTime());
        t.pending.put(i, p);
        attempt(t, p);
    }

    private static void attempt(Turn t, Pending p) {
        try {
            String body = t.bodies.get(p.index);
            String tag = t.turnId + "/" + p.index + "/" + p.attempt;
            p.tag = tag;
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Hub-Signature-256", t.wa.signature(body)).add(SEQ_HEADER, tag);
            String from = Thread.currentThread().getName();
            p.phase = "waiting for a pooled connection (asked on " + from + ")";
            t.client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(t.url)
                    .setHeaders(headers).setConnectTimeout(REQUEST_TIMEOUT_MS).setIdleTimeout(REQUEST_TIMEOUT_MS))
                .compose(req -> {
                    p.phase = "on connection " + req.connection().localAddress() + ", sending (asked on " + from
                        + ", request on " + Thread.currentThread().getName() + ")";
                    // body() asked for in the same callback that gets the response: chaining it to the outer
                    // future instead lets the response end first when that future's callbacks run later on
                    // another thread, and Vert.x 5.0.10 then never completes body()
                    return req.send(Buffer.buffer(body)).compose(resp -> {
                        p.phase = "answered " + resp.statusCode() + ", reading the body (asked on " + from
                            + ", response on " + Thread.currentThread().getName() + ")";
                        return resp.body().map(resp.statusCode());
                    });
                }).onComplete(ar -> {
                    try {
                        answered(t, p, ar);
                    } catch (Throwable e) {
                        t.finished.completeExceptionally(new IllegalStateException("request " + p.tag
                            + ": the answer's handler threw " + e, e));
                    }
                });
        } catch (Throwable e) {
            t.finished.completeExceptionally(new IllegalStateException("request " + p.tag + ": sending threw " + e,
                e));
        }
    }

    private static void answered(Turn t, Pending p, io.vertx.core.AsyncResult<Integer> ar) {
        if (ar.failed()) {
            String cause = ar.cause().getClass().getSimpleName() + " (" + p.phase + ")";
            t.tally.failures.merge(cause, 1, Integer::sum);
            if (p.attempt < RETRIES) {
                p.attempt++;
                t.tally.retries.incrementAndGet();
                attempt(t, p);
                return;
            }
            t.finished.completeExceptionally(new IllegalStateException(t.url + ": request " + p.tag + " failed "
                + (p.attempt + 1) + " times, last " + ar.cause() + " while " + p.phase, ar.cause()));
            return;
        }
        if (ar.result() != 200) {
            t.finished.completeExceptionally(new IllegalStateException(t.url + ": request " + p.tag + " answered "
                + ar.result()));
            return;
        }
        long nanos = System.nanoTime() - p.t0;
        synchronized (t.h) {
            t.h.recordValue(Math.min(nanos, t.h.getHighestTrackableValue()));
        }
        t.pending.remove(p.index);
        if (t.done.incrementAndGet() == t.bodies.size()) {
            t.finished.complete(null);
        } else {
            sendNext(t);
        }
    }

    /** One side's turn: its bodies, the requests still open, and how it ended. */
    private static final class Turn {
        final HttpClient client;
        final String url;
        final List<String> bodies;
        final Histogram h;
        final SandboxWhatsApp wa;
        final Tally tally;
        final String turnId;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Turn(HttpClient client, String url, List<String> bodies, Histogram h, SandboxWhatsApp wa, Tally tally,
             String turnId) {
            this.client = client;
            this.url = url;
            this.bodies = bodies;
            this.h = h;
            this.wa = wa;
            this.tally = tally;
            this.turnId = turnId;
        }

        /** The requests still open: tag, phase, age, and what the server saw of each. */
        String open() {
            StringBuilder sb = new StringBuilder();
            long now = System.nanoTime();
            pending.values().stream().sorted(java.util.Comparator.comparingInt(p -> p.index)).limit(10)
                .forEach(p -> sb.append(String.format(Locale.ROOT, "%n  %s %s for %.1f s; server: %s", p.tag,
                    p.phase, (now - p.t0) / 1e9, SERVER_SAW.getOrDefault(p.tag, "never saw it"))));
            return pending.size() + " requests" + sb;
        }
    }

    /** One request of a turn: first sent at {@code t0}; {@code phase} says where it is. */
    private static final class Pending {
        final int index;
        final long t0;
        volatile int attempt;
        volatile String tag;
        volatile String phase = "not sent";

        Pending(int index, long t0) {
            this.index = index;
            this.t0 = t0;
        }
    }

    /** Retries and failures of one side in one round. */
    private static final class Tally {
        final AtomicInteger retries = new AtomicInteger();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();

        @Override
        public String toString() {
            return retries.get() == 0 ? "no retries" : retries.get() + " retries " + failures;
        }
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

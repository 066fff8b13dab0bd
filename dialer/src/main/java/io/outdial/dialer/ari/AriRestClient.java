package io.outdial.dialer.ari;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.outdial.dialer.ari.AriModel.Application;
import io.outdial.dialer.ari.AriModel.Bridge;
import io.outdial.dialer.ari.AriModel.Channel;
import io.outdial.dialer.ari.AriModel.StoredRecording;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The ARI REST calls a dialer needs, over a Vert.x HTTP client (the server's address parsed once; each request a path
 * and a query built by hand), with a cap on concurrent requests. Every method returns a Future that fails with
 * {@link AriException} (HTTP status and Asterisk's message kept). Thread-safe.
 */
public final class AriRestClient {
    private static final TypeReference<List<Channel>> CHANNELS = new TypeReference<>() { };
    /** Keep-alive connections per server (Asterisk serves each HTTP connection with a thread). */
    static final int MAX_CONNECTIONS = 64;

    private final AriServerConfig config;
    private final String authorization;
    private final AriRequestGate gate;
    private final Vertx vertx;
    private final HttpClient http;
    /** {@code ariBase}'s host (without IPv6 brackets), port, scheme and path ({@code /ari} or {@code /prefix/ari}). */
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private volatile AriTap tap = AriTap.NONE;
    /** The raw reads of {@link #probe}, made at the first. */
    private AriProbe probe;

    /** A client for one server; {@link #close()} releases its connections. */
    public AriRestClient(Vertx vertx, AriServerConfig config) {
        this.vertx = vertx;
        this.config = config;
        // The gate admits no more requests than there are connections: a request past the gate is on the wire at
        // once, and the waiting happens in the gate, where live-call requests go before new originates.
        int connections = Math.min(config.maxInFlight(), MAX_CONNECTIONS);
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
        URI base = URI.create(config.ariBase());
        this.ssl = "https".equalsIgnoreCase(base.getScheme());
        String h = base.getHost();
        this.host = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        this.port = base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80;
        this.basePath = base.getRawPath();
        this.authorization = basicAuth(config.username(), config.password());
        this.gate = new AriRequestGate(connections);
    }

    static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sets the observer of requests (measurements); {@link AriTap#NONE} to stop. */
    void tap(AriTap tap) {
        this.tap = tap == null ? AriTap.NONE : tap;
    }

    /** Originates a call; the reply is the originated channel (its id is the pre-assigned channelId). */
    public Future<Channel> originate(OriginateRequest r) {
        return originate(r, OriginatePermit.ALWAYS);
    }

    /**
     * Originates a call once {@code permit} says go: asked when the request has passed the gate and holds a
     * connection, so nothing but the write separates the permit from the request reaching Asterisk; while it says
     * wait the request keeps its slot and connection and asks again after that many milliseconds.
     */
    public Future<Channel> originate(OriginateRequest r, OriginatePermit permit) {
        if (permit == OriginatePermit.ALWAYS) {
            return originateNow(r);
        }
        Query q = new Query("/channels");
        query(r, q::add);
        Buffer body = body(r).toBuffer();
        RequestOptions options = options(HttpMethod.POST, q.toString(), true);
        String path = "/channels";
        return gate.submit(() -> http.request(options)
                .recover(e -> Future.failedFuture(new AriException(config.name(), "POST", path, 0,
                        String.valueOf(e.getMessage()), e)))
                .compose(req -> permitted(permit).transform(ok -> {
                    if (ok.failed()) {
                        req.reset();
                        return Future.failedFuture(ok.cause());
                    }
                    AriTap t = tap;
                    if (t != AriTap.NONE) {
                        t.requestSent("POST", path, System.nanoTime());
                    }
                    return sent(req, body, Map::entry);
                }))
                .transform(ar -> {
                    if (ar.failed()) {
                        Throwable e = ar.cause();
                        return Future.failedFuture(e instanceof AriException ? e : new AriException(config.name(),
                                "POST", path, 0, String.valueOf(e.getMessage()), e));
                    }
                    HttpClientResponse resp = ar.result().getKey();
                    Buffer b = ar.result().getValue();
                    if (resp.statusCode() >= 300) {
                        return Future.failedFuture(new AriException(config.name(), "POST", path, resp.statusCode(),
                                errorText(resp.statusMessage(), b), null));
                    }
                    try {
                        return Future.succeededFuture(AriEvents.MAPPER.readValue(b.getBytes(), Channel.class));
                    } catch (IOException | RuntimeException e) {
                        return Future.failedFuture(new AriException(config.name(), "POST", path, resp.statusCode(),
                                "unreadable reply: " + e.getMessage(), e));
                    }
                }), true);
    }

    /**
     * Sends {@code req} with {@code payload} (none when null) and reads the whole answer. The body is asked for in a
     * callback on the response registered before the request is sent, so it runs on the request's own context
     * whatever thread started the request: asked later from another thread, after the response has ended, Vert.x
     * 5.0.10 never completes {@code body()}.
     */
    private static <T> Future<T> sent(HttpClientRequest req, Buffer payload,
                                      java.util.function.BiFunction<HttpClientResponse, Buffer, T> read) {
        Future<T> answer = req.response().compose(resp -> resp.body().map(b -> read.apply(resp, b)));
        if (payload == null) {
            req.end();
        } else {
            req.end(payload);
        }
        return answer;
    }

    /** Completes when {@code permit} says go (asking again after each wait), fails when it says cancel. */
    private Future<Void> permitted(OriginatePermit permit) {
        io.vertx.core.Context context = vertx.getOrCreateContext();
        return Future.fromCompletionStage(permit.acquire(work -> context.runOnContext(v -> work.run())), context)
                .compose(wait -> sendOrWait(permit, wait));
    }

    private Future<Void> sendOrWait(OriginatePermit permit, long wait) {
        if (wait == OriginatePermit.GO) {
            return Future.succeededFuture();
        }
        if (wait == OriginatePermit.WITHDRAW) {
            return Future.failedFuture(new AriException(config.name(), "POST", "/channels", 0,
                    "withdrawn before it was sent", null));
        }
        if (wait < 0) {
            return Future.failedFuture(new AriException(config.name(), "POST", "/channels", 0,
                    "not sent: the attempt ended before its turn", null));
        }
        Promise<Void> later = Promise.promise();
        vertx.setTimer(wait, t -> permitted(permit).onComplete(later));
        return later.future();
    }

    private static JsonObject body(OriginateRequest r) {
        return new JsonObject().put("variables", new JsonObject(Map.copyOf(r.variables())));
    }

    private static void query(OriginateRequest r, BiConsumer<String, String> q) {
        q.accept("endpoint", r.endpoint());
        q.accept("channelId", r.channelId());
        if (r.otherChannelId() != null) {
            q.accept("otherChannelId", r.otherChannelId());
        }
        if (r.app() != null) {
            q.accept("app", r.app());
            if (r.appArgs() != null) {
                q.accept("appArgs", r.appArgs());
            }
        } else {
            q.accept("context", r.context());
            q.accept("extension", r.extension());
            q.accept("priority", Integer.toString(r.priority()));
        }
        q.accept("timeout", Long.toString(r.timeoutSeconds()));
        if (r.callerId() != null) {
            q.accept("callerId", r.callerId());
        }
    }

    private Future<Channel> originateNow(OriginateRequest r) {
        return call(HttpMethod.POST, "/channels", true, q -> query(r, q::add), body(r), json(Channel.class));
    }

    /** Answers a channel. */
    public Future<Void> answer(String channelId) {
        return call(HttpMethod.POST, "/channels/" + enc(channelId) + "/answer", q -> { }, null, none());
    }

    /** Plays media on a channel under an app-chosen playback id. */
    public Future<Void> play(String channelId, String playbackId, List<String> media) {
        return call(HttpMethod.POST, "/channels/" + enc(channelId) + "/play/" + enc(playbackId),
                q -> q.add("media", String.join(",", media)), null, none());
    }

    /** Stops a playback ({@code DELETE /playbacks/{id}}); it then ends with state "done". */
    public Future<Void> stopPlayback(String playbackId) {
        return call(HttpMethod.DELETE, "/playbacks/" + enc(playbackId), q -> { }, null, none());
    }

    /** Starts recording a channel into a stored recording named {@code name} (wav). */
    public Future<Void> record(String channelId, String name, long maxDurationSeconds, long maxSilenceSeconds,
                               boolean beep, String terminateOn) {
        return call(HttpMethod.POST, "/channels/" + enc(channelId) + "/record", q -> {
            q.add("name", name);
            q.add("format", "wav");
            q.add("maxDurationSeconds", Long.toString(maxDurationSeconds));
            q.add("maxSilenceSeconds", Long.toString(maxSilenceSeconds));
            q.add("beep", Boolean.toString(beep));
            q.add("terminateOn", terminateOn == null || terminateOn.isEmpty() ? "none" : terminateOn);
            q.add("ifExists", "overwrite");
        }, null, none());
    }

    /** A stored recording's metadata. */
    public Future<StoredRecording> storedRecording(String name) {
        return call(HttpMethod.GET, "/recordings/stored/" + enc(name), q -> { }, null, json(StoredRecording.class));
    }

    /** {@code GET /recordings/stored/{name}/file}: the audio file with its content type. */
    public Future<RecordingFile> storedRecordingDownload(String name) {
        return call(HttpMethod.GET, "/recordings/stored/" + enc(name) + "/file", q -> { }, null,
                r -> new RecordingFile(r.response().getHeader("Content-Type"), r.body()));
    }

    /**
     * A stored recording's file as Asterisk serves it.
     *
     * @param contentType Asterisk's {@code Content-Type} (e.g. {@code audio/wav}), or null
     * @param bytes       the file
     */
    public record RecordingFile(String contentType, Buffer bytes) { }

    /** {@code GET /recordings/stored/{name}/file}: the recording's bytes. */
    public Future<Buffer> storedRecordingFile(String name) {
        return call(HttpMethod.GET, "/recordings/stored/" + enc(name) + "/file", q -> { }, null, r -> r.body());
    }

    /** Deletes a stored recording. */
    public Future<Void> deleteStoredRecording(String name) {
        return call(HttpMethod.DELETE, "/recordings/stored/" + enc(name), q -> { }, null, none());
    }

    /** Hangs a channel up; {@code reason} is an ARI reason (normal, busy, congestion, no_answer, ...). */
    public Future<Void> hangup(String channelId, String reason) {
        return call(HttpMethod.DELETE, "/channels/" + enc(channelId), q -> q.add("reason", reason), null,
                none());
    }

    /** Reads a channel variable (or a dialplan function such as {@code CALLERID(num)}). */
    public Future<String> getVariable(String channelId, String variable) {
        return call(HttpMethod.GET, "/channels/" + enc(channelId) + "/variable",
                q -> q.add("variable", variable), null, json(AriModel.Variable.class))
                .map(AriModel.Variable::value);
    }

    /** Sets a channel variable. */
    public Future<Void> setVariable(String channelId, String variable, String value) {
        return call(HttpMethod.POST, "/channels/" + enc(channelId) + "/variable", q -> {
            q.add("variable", variable);
            q.add("value", value);
        }, null, none());
    }

    /** Sends DTMF digits on a channel. */
    public Future<Void> sendDtmf(String channelId, String dtmf) {
        return call(HttpMethod.POST, "/channels/" + enc(channelId) + "/dtmf", q -> q.add("dtmf", dtmf), null,
                none());
    }

    /** Creates a bridge with an app-chosen id ({@code type} e.g. "mixing"). No BridgeCreated event follows. */
    public Future<Bridge> createBridge(String bridgeId, String type, String name) {
        return call(HttpMethod.POST, "/bridges/" + enc(bridgeId), q -> {
            q.add("type", type);
            q.add("name", name);
        }, null, json(Bridge.class));
    }

    /** Adds channels to a bridge. */
    public Future<Void> addChannel(String bridgeId, String... channelIds) {
        return call(HttpMethod.POST, "/bridges/" + enc(bridgeId) + "/addChannel",
                q -> q.add("channel", String.join(",", channelIds)), null, none());
    }

    /** Removes a channel from a bridge. */
    public Future<Void> removeChannel(String bridgeId, String channelId) {
        return call(HttpMethod.POST, "/bridges/" + enc(bridgeId) + "/removeChannel",
                q -> q.add("channel", channelId), null, none());
    }

    /** Destroys a bridge (Asterisk never does it for us, even when empty). */
    public Future<Void> destroyBridge(String bridgeId) {
        return call(HttpMethod.DELETE, "/bridges/" + enc(bridgeId), q -> { }, null, none());
    }

    /** Every channel on the server ({@code GET /channels}). */
    public Future<List<Channel>> channels() {
        return call(HttpMethod.GET, "/channels", q -> { }, null, r -> read(r, CHANNELS));
    }

    /** One channel; fails with 404 when it is gone. */
    public Future<Channel> channel(String channelId) {
        return call(HttpMethod.GET, "/channels/" + enc(channelId), q -> { }, null, json(Channel.class));
    }

    /** {@code GET /asterisk/info}: system, build, config and status. */
    public Future<JsonObject> asteriskInfo() {
        return call(HttpMethod.GET, "/asterisk/info", q -> { }, null, r -> r.body().toJsonObject());
    }

    /** A registered application; 404 when not registered. */
    public Future<Application> application(String app) {
        return call(HttpMethod.GET, "/applications/" + enc(app), q -> { }, null, json(Application.class));
    }

    /**
     * Asks Asterisk to send app {@code app} only events of {@code types} ({@code PUT /applications/{app}/eventFilter}
     * with an allowed list and an empty disallowed list; Asterisk 13.26 and 16.3 on). The filter lasts while the app
     * is registered.
     */
    public Future<Void> filterEvents(String app, Collection<String> types) {
        JsonArray allowed = new JsonArray();
        types.stream().sorted().forEach(t -> allowed.add(new JsonObject().put("type", t)));
        JsonObject body = new JsonObject().put("allowed", allowed).put("disallowed", new JsonArray());
        return call(HttpMethod.PUT, "/applications/" + enc(app) + "/eventFilter", q -> { }, body, none());
    }

    /** Subscribes an app to an event source, e.g. {@code channel:<id>} before the channel enters Stasis. */
    public Future<Void> subscribe(String app, String eventSource) {
        return call(HttpMethod.POST, "/applications/" + enc(app) + "/subscription",
                q -> q.add("eventSource", eventSource), null, none());
    }

    /** One endpoint, e.g. {@code endpoint("PJSIP", "carrier")}; fails with 404 when Asterisk has no such endpoint. */
    public Future<AriModel.Endpoint> endpoint(String technology, String resource) {
        return call(HttpMethod.GET, "/endpoints/" + enc(technology) + "/" + enc(resource), q -> { }, null,
                json(AriModel.Endpoint.class));
    }

    /** Requests currently in flight (for metrics and tests). */
    public int inFlight() {
        return gate.inFlight();
    }

    /** Requests waiting for a free slot. */
    public int queued() {
        return gate.queued();
    }

    /** Closes the underlying HTTP client. */
    /**
     * {@code GET <ariBase><path>} for a deployment check, with the HTTP details the other calls do not keep: any
     * status comes back as a reply (401 for bad credentials), as JSON: {@code status}, {@code date} (the
     * {@code Date} header: Asterisk's clock; absent without one) and {@code body} (the body as text; absent without
     * one). Sent on a client of its own (user agent {@code outdial-doctor}), outside the gate of the call path;
     * fails only when no reply came.
     */
    public Future<JsonObject> probe(String path) {
        AriProbe p;
        synchronized (this) {
            if (probe == null) {
                probe = new AriProbe(vertx, config);
            }
            p = probe;
        }
        return p.get(path);
    }

    public void close() {
        http.close();
        synchronized (this) {
            if (probe != null) {
                probe.close();
            }
        }
    }

    private <T> Future<T> call(HttpMethod method, String path, Consumer<Query> query, JsonObject body,
                               Function<Reply, T> reader) {
        return call(method, path, false, query, body, reader);
    }

    private <T> Future<T> call(HttpMethod method, String path, boolean bulk, Consumer<Query> query,
                               JsonObject body, Function<Reply, T> reader) {
        return gate.submit(() -> {
            Query q = new Query(path);
            query.accept(q);
            RequestOptions options = options(method, q.toString(), body != null);
            AriTap t = tap;
            if (t != AriTap.NONE) {
                t.requestSent(method.name(), path, System.nanoTime());
            }
            Buffer payload = body == null ? null : body.toBuffer();
            return http.request(options)
                    .compose(req -> sent(req, payload, Reply::new))
                    .transform(ar -> {
                        if (ar.failed()) {
                            return Future.failedFuture(new AriException(config.name(), method.name(), path, 0,
                                    String.valueOf(ar.cause().getMessage()), ar.cause()));
                        }
                        Reply reply = ar.result();
                        int status = reply.response().statusCode();
                        if (status >= 300) {
                            return Future.failedFuture(new AriException(config.name(), method.name(), path, status,
                                    errorText(reply.response().statusMessage(), reply.body()), null));
                        }
                        try {
                            return Future.succeededFuture(reader.apply(reply));
                        } catch (RuntimeException e) {
                            return Future.failedFuture(new AriException(config.name(), method.name(), path, status,
                                    "unreadable reply: " + e.getMessage(), e));
                        }
                    });
        }, bulk);
    }

    /** A request to {@code pathAndQuery} under {@link #basePath}, with the credentials and the request timeout. */
    private RequestOptions options(HttpMethod method, String pathAndQuery, boolean json) {
        RequestOptions o = new RequestOptions().setMethod(method).setHost(host).setPort(port).setSsl(ssl)
                .setURI(basePath + pathAndQuery).putHeader("Authorization", authorization)
                .putHeader("User-Agent", "outdial-dialer").setTimeout(config.requestTimeout().toMillis());
        return json ? o.putHeader("Content-Type", "application/json") : o;
    }

    /** A reply's head and its whole body. */
    private record Reply(HttpClientResponse response, Buffer body) { }

    /** A path and its query parameters, each encoded as a URI component. */
    private static final class Query {
        private final StringBuilder text;
        private boolean first = true;

        Query(String path) {
            this.text = new StringBuilder(path.length() + 64).append(path);
        }

        void add(String name, String value) {
            text.append(first ? '?' : '&').append(enc(name)).append('=').append(enc(value));
            first = false;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static String errorText(String statusMessage, Buffer b) {
        if (b == null || b.length() == 0) {
            return statusMessage;
        }
        try {
            JsonNode n = AriEvents.MAPPER.readTree(b.getBytes());
            if (n.hasNonNull("message")) {
                return n.get("message").asText();
            }
            if (n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: fall through to the raw text
        }
        String text = b.toString();
        return AriEvents.abbreviate(looksLikeHtml(text) ? htmlText(text, statusMessage) : text);
    }

    private static boolean looksLikeHtml(String text) {
        String head = text.stripLeading();
        return head.regionMatches(true, 0, "<!DOCTYPE", 0, 9) || head.regionMatches(true, 0, "<html", 0, 5);
    }

    /**
     * The words of an HTML error page such as Asterisk's HTTP server writes ({@code <h1>Service Unavailable</h1>
     * <p>Shutdown in progress</p>}): the heading and the first paragraph, never the markup.
     */
    static String htmlText(String html, String statusMessage) {
        String heading = between(html, "<h1>", "</h1>");
        String para = between(html, "<p>", "</p>");
        if (heading == null && para == null) {
            String stripped = html.replaceAll("(?s)<[^>]*>", " ").replaceAll("\\s+", " ").strip();
            return stripped.isEmpty() ? statusMessage : stripped;
        }
        if (heading == null || para == null) {
            return heading == null ? para : heading;
        }
        return heading + ": " + para;
    }

    private static String between(String text, String open, String close) {
        int start = text.toLowerCase(java.util.Locale.ROOT).indexOf(open);
        if (start < 0) {
            return null;
        }
        int end = text.toLowerCase(java.util.Locale.ROOT).indexOf(close, start + open.length());
        if (end < 0) {
            return null;
        }
        String inner = text.substring(start + open.length(), end).replaceAll("(?s)<[^>]*>", "").strip();
        return inner.isEmpty() ? null : inner;
    }

    private static <T> Function<Reply, T> json(Class<T> type) {
        return r -> {
            try {
                return AriEvents.MAPPER.readValue(r.body().getBytes(), type);
            } catch (IOException e) {
                throw new IllegalStateException(type.getSimpleName() + " expected: " + e.getMessage(), e);
            }
        };
    }

    private static <T> T read(Reply r, TypeReference<T> type) {
        try {
            return AriEvents.MAPPER.readValue(r.body().getBytes(), type);
        } catch (IOException e) {
            throw new IllegalStateException("JSON list expected: " + e.getMessage(), e);
        }
    }

    private static Function<Reply, Void> none() {
        return r -> null;
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package io.outdial.fallback.channel.webhook;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.http.HookRefused;
import io.outdial.fallback.channel.http.Hmac;
import io.outdial.fallback.channel.http.HttpCaller;
import io.outdial.fallback.channel.http.Inbound;
import io.outdial.fallback.channel.http.IssuedIds;
import io.outdial.fallback.channel.http.Secrets;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Posts a JSON document per message to the block's {@code url}, signed: header {@code X-Outdial-Timestamp}
 * (Unix seconds) and {@code X-Outdial-Signature: sha256=<hex>}, the HMAC-SHA256 of {@code <timestamp>.<body>}
 * with the shared secret. 429, 5xx and timeouts are retried with backoff and jitter within the block's
 * decision time; the receiver's answer is the block's status: 2xx {@code delivered}, another 4xx
 * {@code undelivered} (error {@code http-<code>}). External systems report later statuses and replies to the
 * callback ({@link #parseCallback}), signed the same way, with the timestamp inside the replay window.
 */
public final class WebhookChannel implements Channel, AutoCloseable {

    private final WebhookConfig config;
    private final Clock clock;
    private final Vertx vertx;
    private final String secret;
    private final HttpCaller http;
    private final IssuedIds issued = new IssuedIds(100_000);
    private volatile Handler<ChannelEvent> handler = e -> { };

    /** A channel reading its secret from the process environment. */
    public WebhookChannel(Vertx vertx, Clock clock, WebhookConfig config) {
        this(vertx, clock, config, Secrets.system());
    }

    /** A channel reading its secret through {@code env}. */
    public WebhookChannel(Vertx vertx, Clock clock, WebhookConfig config, Function<String, String> env) {
        this.vertx = vertx;
        this.config = config;
        this.clock = clock;
        this.secret = Secrets.fromEnv(env, config.secretEnv(), "webhook.secretEnv");
        this.http = new HttpCaller(vertx, config.http().attemptTimeout(), config.http().backoffMin(),
                config.http().backoffMax());
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    @Override
    public Future<Submitted> send(OutboundMessage m) {
        String url = m.content().get("url");
        Buffer body = new JsonObject().put("id", m.id()).put("runId", m.runId()).put("blockId", m.blockId())
                .put("to", m.to()).put("content", new JsonObject(new java.util.LinkedHashMap<>(m.content())))
                .put("fields", new JsonObject(new java.util.LinkedHashMap<>(m.fields()))).toBuffer();
        Duration deadline = config.http().budget(m.decisionTime());
        issued.add(m.id(), m.to());
        return http.post(url, () -> sign(body.getBytes()), body, deadline).map(r -> {
            Status st = r.ok() ? Status.DELIVERED : Status.UNDELIVERED;
            String err = r.ok() ? null : "http-" + r.status();
            Instant at = clock.instant();
            // the answer is the status; reported after the submit so the engine has the id
            vertx.runOnContext(v -> handler.handle(new ChannelEvent.StatusReport(ChannelType.WEBHOOK, m.id(), st,
                    err, at)));
            return new Submitted(List.of(m.id()), 1);
        });
    }

    /** The signature headers for a body, timestamped now. */
    public MultiMap sign(byte[] body) {
        String ts = String.valueOf(clock.instant().getEpochSecond());
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add(config.timestampHeader(), ts)
                .add(config.signatureHeader(), "sha256=" + Hmac.sha256Hex(secret, signed(ts, body)));
    }

    /**
     * Reads a callback: the timestamp within the replay window and the signature over
     * {@code <timestamp>.<body>} first, then a body {@code {"id": "<message id>", "status": "delivered",
     * "error": "..."}} or {@code {"from": "+7...", "text": "..."}}.
     */
    public Inbound parseCallback(byte[] raw, Function<String, String> headers) {
        String ts = headers.apply(config.timestampHeader());
        String sig = headers.apply(config.signatureHeader());
        long seconds;
        try {
            seconds = Long.parseLong(ts == null ? "" : ts.trim());
        } catch (NumberFormatException e) {
            throw new HookRefused(401, config.timestampHeader() + " is missing or not a number");
        }
        String hex = sig == null || !sig.startsWith("sha256=") ? null : sig.substring(7);
        if (!Hmac.verify(secret, signed(ts.trim(), raw), hex)) {
            throw new HookRefused(401, config.signatureHeader() + " is missing or does not match");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (skew.compareTo(config.replayWindow()) > 0) {
            throw new HookRefused(400, "stale timestamp: " + skew.toSeconds() + " s from now, at most "
                    + config.replayWindow().toSeconds());
        }
        JsonObject b;
        try {
            b = new JsonObject(Buffer.buffer(raw));
        } catch (DecodeException | ClassCastException e) {
            throw new HookRefused(400, "malformed body: " + e.getMessage());
        }
        Instant at = clock.instant();
        Object id = b.getValue("id");
        Object status = b.getValue("status");
        if (id instanceof String && status instanceof String) {
            Status st = Status.fromJson((String) status);
            if (st == null || !ChannelType.WEBHOOK.statuses().contains(st)) {
                throw new HookRefused(400, "status " + status + " is not one of " + ChannelType.WEBHOOK.statuses());
            }
            Object err = b.getValue("error");
            return new Inbound(List.of(new ChannelEvent.StatusReport(ChannelType.WEBHOOK, (String) id, st,
                    err == null ? null : String.valueOf(err), at)), List.of((String) id));
        }
        Object from = b.getValue("from");
        Object text = b.getValue("text");
        if (from instanceof String && text instanceof String && !((String) from).isBlank()) {
            return new Inbound(List.of(new ChannelEvent.Reply(ChannelType.WEBHOOK, (String) from, null,
                    (String) text, at)), List.of());
        }
        throw new HookRefused(400, "expected {\"id\", \"status\"} or {\"from\", \"text\"}");
    }

    /** True when this channel sent a message with that id. */
    public boolean issued(String id) {
        return issued.contains(id);
    }

    private static byte[] signed(String ts, byte[] body) {
        byte[] prefix = (ts + ".").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    @Override
    public void close() {
        http.close();
    }
}

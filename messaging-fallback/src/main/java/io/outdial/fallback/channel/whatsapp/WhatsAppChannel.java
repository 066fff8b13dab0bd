package io.outdial.fallback.channel.whatsapp;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.ChatPeers;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.http.HookRefused;
import io.outdial.fallback.channel.http.Hmac;
import io.outdial.fallback.channel.http.HttpCaller;
import io.outdial.fallback.channel.http.Inbound;
import io.outdial.fallback.channel.http.IssuedIds;
import io.outdial.fallback.channel.http.PeerMemory;
import io.outdial.fallback.channel.http.Secrets;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp over the Cloud API: {@code POST /{version}/{phone-number-id}/messages} with a bearer token, a
 * template message (or a text message while the recipient's 24-hour customer-service window is open), and the
 * signed webhook: {@code hub.challenge} verification, {@code X-Hub-Signature-256} checked on the raw body
 * before it is parsed, statuses ({@code sent}, {@code delivered}, {@code read}, {@code failed} with its error
 * code) and replies (text, button and interactive button replies).
 */
public final class WhatsAppChannel implements Channel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppChannel.class);
    /** The customer-service window a recipient's message opens. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private final WhatsAppConfig config;
    private final Clock clock;
    private final String token;
    private final String appSecret;
    private final String verifyToken;
    private final HttpCaller http;
    private final IssuedIds issued = new IssuedIds(100_000);
    private final PeerMemory peers;
    private volatile Handler<ChannelEvent> handler = e -> { };

    /** A channel reading its secrets from the process environment. */
    public WhatsAppChannel(Vertx vertx, Clock clock, WhatsAppConfig config) {
        this(vertx, clock, config, Secrets.system());
    }

    /** A channel reading its secrets through {@code env}; users' message times are kept in this process only. */
    public WhatsAppChannel(Vertx vertx, Clock clock, WhatsAppConfig config, Function<String, String> env) {
        this(vertx, clock, config, env, null);
    }

    /**
     * A channel reading its secrets through {@code env} and keeping when each user last wrote (their 24-hour
     * window) in {@code peers} as well as in the process ({@code peers} may be null: the process only).
     */
    public WhatsAppChannel(Vertx vertx, Clock clock, WhatsAppConfig config, Function<String, String> env,
                           ChatPeers peers) {
        this.peers = new PeerMemory(vertx, ChannelType.WHATSAPP, peers);
        this.config = config;
        this.clock = clock;
        this.token = Secrets.fromEnv(env, config.tokenEnv(), "whatsapp.tokenEnv");
        this.appSecret = Secrets.fromEnv(env, config.appSecretEnv(), "whatsapp.appSecretEnv");
        this.verifyToken = Secrets.fromEnv(env, config.verifyTokenEnv(), "whatsapp.verifyTokenEnv");
        this.http = new HttpCaller(vertx, config.http().attemptTimeout(), config.http().backoffMin(),
                config.http().backoffMax());
    }

    @Override
    public ChannelType type() {
        return ChannelType.WHATSAPP;
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    @Override
    public Future<Submitted> send(OutboundMessage m) {
        String text = m.content().get("text");
        if (text == null || text.isBlank()) {
            return send(m, false);
        }
        // a text message needs the user's window open: this process may not know of the last message
        return peers.lastInbound(m.to(), this::open).compose(at -> send(m, at != null && open(at)));
    }

    private Future<Submitted> send(OutboundMessage m, boolean windowOpen) {
        JsonObject body;
        try {
            body = body(m, windowOpen);
        } catch (SendException e) {
            return Future.failedFuture(e);
        }
        Buffer payload = body.toBuffer();
        Duration deadline = config.http().budget(m.decisionTime());
        return http.post(config.messagesUrl(), () -> MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + token).add("Content-Type", "application/json"), payload, deadline)
                .compose(r -> {
                    JsonObject json = parse(r.body());
                    if (!r.ok()) {
                        JsonObject err = json == null ? null : json.getJsonObject("error");
                        String code = err == null ? String.valueOf(r.status()) : String.valueOf(err.getValue("code"));
                        String msg = err == null ? "HTTP " + r.status() : err.getString("message", "HTTP " + r.status());
                        return Future.failedFuture(new SendException(r.status() == 401 || r.status() == 403
                                ? SendException.Reason.REJECTED : reasonFor(code), code,
                                "whatsapp refused the message to " + m.to() + ": " + msg));
                    }
                    JsonArray msgs = json == null ? null : json.getJsonArray("messages");
                    String id = msgs == null || msgs.isEmpty() ? null : msgs.getJsonObject(0).getString("id");
                    if (id == null) {
                        return Future.failedFuture(new SendException(SendException.Reason.REJECTED,
                                "whatsapp answered without a message id: " + r.body()));
                    }
                    issued.add(id, m.to());
                    return Future.succeededFuture(new Submitted(List.of(id), 1));
                });
    }

    private JsonObject body(OutboundMessage m, boolean windowOpen) {
        String to = m.to().startsWith("+") ? m.to().substring(1) : m.to();
        JsonObject b = new JsonObject().put("messaging_product", "whatsapp").put("recipient_type", "individual")
                .put("to", to);
        String text = m.content().get("text");
        String template = m.content().get("template");
        if (text != null && !text.isBlank() && windowOpen) {
            return b.put("type", "text").put("text", new JsonObject().put("body", text));
        }
        if (template == null || template.isBlank()) {
            throw new SendException(SendException.Reason.INVALID, "131047", "outside the 24-hour window of "
                    + m.to() + " only an approved template may be sent, and the block has none");
        }
        JsonArray params = new JsonArray();
        for (int i = 1; m.content().containsKey("param" + i); i++) {
            params.add(new JsonObject().put("type", "text").put("text", m.content().get("param" + i)));
        }
        JsonObject t = new JsonObject().put("name", template).put("language",
                new JsonObject().put("code", m.content().getOrDefault("language", config.defaultLanguage())));
        if (!params.isEmpty()) {
            t.put("components", new JsonArray().add(new JsonObject().put("type", "body").put("parameters", params)));
        }
        return b.put("type", "template").put("template", t);
    }

    /** True while the recipient's last message to us, as this process knows it, is less than 24 hours old. */
    public boolean windowOpen(String address) {
        Instant at = peers.cachedLastInbound(address);
        return at != null && open(at);
    }

    private boolean open(Instant lastMessage) {
        return lastMessage.plus(WINDOW).isAfter(clock.instant());
    }

    /**
     * Answers the subscription check ({@code GET} with {@code hub.mode=subscribe}, {@code hub.verify_token}
     * and {@code hub.challenge}): the challenge when the token is ours.
     */
    public String verifySubscription(String mode, String givenToken, String challenge) {
        if (!"subscribe".equals(mode) || challenge == null || givenToken == null
                || !MessageDigest.isEqual(verifyToken.getBytes(StandardCharsets.UTF_8),
                givenToken.getBytes(StandardCharsets.UTF_8))) {
            throw new HookRefused(403, "hub.mode or hub.verify_token do not match");
        }
        return challenge;
    }

    /**
     * Checks {@code X-Hub-Signature-256} ({@code sha256=<hex>}) against the raw body, then reads the statuses and
     * messages. Throws {@link HookRefused} for a bad signature (401) or a malformed body (400).
     */
    public Inbound parseWebhook(byte[] raw, String signatureHeader) {
        String sig = signatureHeader == null || !signatureHeader.startsWith("sha256=") ? null
                : signatureHeader.substring("sha256=".length());
        if (!Hmac.verify(appSecret, raw, sig)) {
            throw new HookRefused(401, "X-Hub-Signature-256 is missing or does not match the body");
        }
        try {
            JsonObject root = new JsonObject(Buffer.buffer(raw));
            if (!"whatsapp_business_account".equals(root.getString("object")) || root.getJsonArray("entry") == null) {
                throw new HookRefused(400, "not a whatsapp_business_account notification");
            }
            List<ChannelEvent> events = new ArrayList<>();
            List<String> known = new ArrayList<>();
            for (Object e : root.getJsonArray("entry")) {
                JsonArray changes = ((JsonObject) e).getJsonArray("changes");
                for (Object c : changes == null ? new JsonArray() : changes) {
                    JsonObject value = ((JsonObject) c).getJsonObject("value");
                    if (value == null) {
                        throw new HookRefused(400, "a change without value");
                    }
                    statuses(value.getJsonArray("statuses"), events, known);
                    messages(value, events);
                }
            }
            return new Inbound(events, known);
        } catch (DecodeException | ClassCastException | NumberFormatException e) {
            throw new HookRefused(400, "malformed notification: " + e.getMessage());
        }
    }

    /** Hands verified events to the engine's handler (when the router is not given a sink). */
    public void deliver(ChannelEvent e) {
        handler.handle(e);
    }

    /** True when this channel issued the provider id (its send answered with it). */
    public boolean issued(String providerId) {
        return issued.contains(providerId);
    }

    private void statuses(JsonArray statuses, List<ChannelEvent> events, List<String> known) {
        if (statuses == null) {
            return;
        }
        for (Object o : statuses) {
            JsonObject s = (JsonObject) o;
            String id = s.getString("id");
            String st = s.getString("status");
            if (id == null || st == null) {
                throw new HookRefused(400, "a status without id or status");
            }
            String error = null;
            JsonArray errors = s.getJsonArray("errors");
            if (errors != null && !errors.isEmpty()) {
                error = String.valueOf(errors.getJsonObject(0).getValue("code"));
            }
            Status status;
            switch (st) {
                case "sent":
                    status = Status.SENT;
                    break;
                case "delivered":
                    status = Status.DELIVERED;
                    break;
                case "read":
                    status = Status.READ;
                    break;
                case "failed":
                    status = failure(error);
                    break;
                default:
                    LOG.debug("whatsapp status {} for {} ignored", st, id);
                    continue;
            }
            events.add(new ChannelEvent.StatusReport(ChannelType.WHATSAPP, id, status, error, at(s)));
            known.add(id);
        }
    }

    private void messages(JsonObject value, List<ChannelEvent> events) {
        JsonArray messages = value.getJsonArray("messages");
        if (messages == null) {
            return;
        }
        JsonObject meta = value.getJsonObject("metadata");
        String to = meta == null ? null : meta.getString("display_phone_number");
        for (Object o : messages) {
            JsonObject m = (JsonObject) o;
            String from = m.getString("from");
            if (from == null) {
                throw new HookRefused(400, "a message without from");
            }
            String text = text(m);
            String address = from.startsWith("+") ? from : "+" + from;
            peers.inbound(address, clock.instant());
            if (text != null) {
                events.add(new ChannelEvent.Reply(ChannelType.WHATSAPP, address, to, text, at(m)));
            }
        }
    }

    private static String text(JsonObject m) {
        String type = m.getString("type", "");
        switch (type) {
            case "text":
                return m.getJsonObject("text", new JsonObject()).getString("body");
            case "button":
                JsonObject b = m.getJsonObject("button", new JsonObject());
                return b.getString("text", b.getString("payload"));
            case "interactive":
                JsonObject i = m.getJsonObject("interactive", new JsonObject());
                JsonObject r = i.getJsonObject("button_reply", i.getJsonObject("list_reply"));
                return r == null ? null : r.getString("title", r.getString("id"));
            default:
                return null;
        }
    }

    private Instant at(JsonObject o) {
        Object ts = o.getValue("timestamp");
        return ts == null ? clock.instant() : Instant.ofEpochSecond(Long.parseLong(String.valueOf(ts)));
    }

    /** A {@code failed} status by its error code: opted out, refused, or not delivered. */
    static Status failure(String code) {
        if (code == null) {
            return Status.UNDELIVERED;
        }
        switch (code) {
            case "131050": // the user stopped marketing messages from the business
                return Status.UNSUBSCRIBED;
            case "131047": // re-engagement: outside the 24-hour window
            case "131051": // unsupported message type
            case "132000": // template parameter count mismatch
            case "132001": // template does not exist
            case "132015": // template paused
            case "132016": // template disabled
            case "470":
                return Status.REJECTED;
            default:
                return Status.UNDELIVERED;
        }
    }

    private static SendException.Reason reasonFor(String code) {
        return "131056".equals(code) || "130429".equals(code) || "80007".equals(code)
                ? SendException.Reason.THROTTLED : SendException.Reason.REJECTED;
    }

    private static JsonObject parse(Buffer b) {
        try {
            return b == null || b.length() == 0 ? null : new JsonObject(b);
        } catch (DecodeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

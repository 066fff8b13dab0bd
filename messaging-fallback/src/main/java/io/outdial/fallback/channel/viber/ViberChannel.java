package io.outdial.fallback.channel.viber;

import io.outdial.fallback.channel.Channel;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.ChatPeers;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.channel.Submitted;
import io.outdial.fallback.channel.http.ChatHttpConfig;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Viber, two ways. A recipient with a {@code viber_id} contact field (a user subscribed to the bot) gets a
 * {@code send_message} of the REST Bot API; any other recipient gets a business message to the phone number
 * through the configured partner ({@link ViberPartner}). Bot callbacks ({@code delivered}, {@code seen},
 * {@code failed}, {@code subscribed}, {@code unsubscribed}, {@code message}) are checked against
 * {@code X-Viber-Content-Signature} (HMAC-SHA256 hex of the body with the auth token) before they are read; an
 * {@code unsubscribed} user's number goes on the stop-list.
 */
public final class ViberChannel implements Channel, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ViberChannel.class);
    /** The contact field holding the recipient's Viber user id (bot subscribers). */
    public static final String USER_ID_FIELD = "viber_id";

    private final Vertx vertx;
    private final Clock clock;
    private final ViberBotConfig bot;
    private final String botToken;
    private final ViberPartner partner;
    private final BiConsumer<String, String> stopList;
    private final ChatHttpConfig httpConfig;
    private final HttpCaller http;
    private final IssuedIds issued = new IssuedIds(100_000);
    /** Bot user id to the phone number and the last message token sent to it. */
    private final PeerMemory users;
    private volatile Handler<ChannelEvent> handler = e -> { };

    /**
     * A Viber channel.
     *
     * @param bot      the bot, or null when only the partner is used
     * @param partner  the business-messages partner, or null when only the bot is used
     * @param stopList adds an unsubscribed user's number to the stop-list, with why: the dialer gives its
     *                 {@code StopList::add} (blocking; called on a worker thread); may be null
     * @param env      where secrets are read
     */
    public ViberChannel(Vertx vertx, Clock clock, ViberBotConfig bot, ViberPartner partner, BiConsumer<String, String> stopList,
                        ChatHttpConfig http, Function<String, String> env) {
        this(vertx, clock, bot, partner, stopList, http, env, null);
    }

    /**
     * As above, keeping each bot user's number and last message token in {@code peers} as well as in the process
     * (so an unsubscribe that reaches another node, or this one after a restart, still stop-lists the number);
     * {@code peers} may be null (the process only).
     */
    public ViberChannel(Vertx vertx, Clock clock, ViberBotConfig bot, ViberPartner partner, BiConsumer<String, String> stopList,
                        ChatHttpConfig http, Function<String, String> env, ChatPeers peers) {
        if (bot == null && partner == null) {
            throw new IllegalArgumentException("viber: configure a bot, a partner or both");
        }
        this.vertx = vertx;
        this.clock = clock;
        this.users = new PeerMemory(vertx, ChannelType.VIBER, peers);
        this.bot = bot;
        this.botToken = bot == null ? null : Secrets.fromEnv(env, bot.authTokenEnv(), "viber.bot.authTokenEnv");
        this.partner = partner;
        this.stopList = stopList;
        this.httpConfig = http == null ? ChatHttpConfig.defaults() : http;
        this.http = new HttpCaller(vertx, httpConfig.attemptTimeout(), httpConfig.backoffMin(),
                httpConfig.backoffMax());
    }

    @Override
    public ChannelType type() {
        return ChannelType.VIBER;
    }

    @Override
    public void events(Handler<ChannelEvent> h) {
        this.handler = h;
    }

    @Override
    public Future<Submitted> send(OutboundMessage m) {
        Duration deadline = httpConfig.budget(m.decisionTime());
        String userId = m.fields().get(USER_ID_FIELD);
        if (bot != null && userId != null && !userId.isBlank()) {
            return sendBot(m, userId, deadline);
        }
        if (partner == null) {
            return Future.failedFuture(new SendException(SendException.Reason.INVALID, "viber: " + m.to()
                    + " has no " + USER_ID_FIELD + " and no business-messages partner is configured"));
        }
        Buffer body = partner.body(m);
        return http.post(partner.sendUrl(), partner::headers, body, deadline).map(r -> {
            Submitted s = partner.submitted(m, r.status(), r.body());
            issued.add(s.providerIds().get(0), m.to());
            return s;
        });
    }

    private Future<Submitted> sendBot(OutboundMessage m, String userId, Duration deadline) {
        JsonObject body = new JsonObject().put("receiver", userId).put("min_api_version", bot.minApiVersion())
                .put("sender", new JsonObject().put("name", bot.senderName())).put("tracking_data", m.to())
                .put("type", "text").put("text", m.content().getOrDefault("text", ""));
        if (m.content().containsKey("buttonText")) {
            body.put("keyboard", new JsonObject().put("Type", "keyboard").put("Buttons", new JsonArray()
                    .add(new JsonObject().put("ActionType", "open-url").put("ActionBody", m.content().get("buttonUrl"))
                            .put("Text", m.content().get("buttonText")))));
        }
        Buffer payload = body.toBuffer();
        return http.post(bot.baseUrl() + "/send_message", () -> MultiMap.caseInsensitiveMultiMap()
                .add("X-Viber-Auth-Token", botToken).add("Content-Type", "application/json"), payload, deadline)
                .compose(r -> {
                    JsonObject json;
                    try {
                        json = new JsonObject(r.body());
                    } catch (DecodeException | NullPointerException e) {
                        json = new JsonObject();
                    }
                    int status = json.getInteger("status", -1);
                    if (!r.ok() || status != 0) {
                        String code = r.ok() ? String.valueOf(status) : "http-" + r.status();
                        SendException.Reason reason = status == 12 ? SendException.Reason.THROTTLED
                                : SendException.Reason.REJECTED;
                        return Future.failedFuture(new SendException(reason, code, "viber bot refused the message to "
                                + userId + ": " + json.getString("status_message", "HTTP " + r.status())));
                    }
                    String token = String.valueOf(json.getValue("message_token"));
                    issued.add(token, m.to());
                    users.botUser(userId, m.to(), token);
                    return Future.succeededFuture(new Submitted(List.of(token), 1));
                });
    }

    /**
     * Reads a bot callback after checking {@code X-Viber-Content-Signature}. An {@code unsubscribed} user's
     * number is put on the stop-list (on a worker thread, through the StopList SPI) and reported as the
     * {@code unsubscribed} status of the last message sent to that user.
     */
    public Inbound parseBotCallback(byte[] raw, String signature) {
        if (bot == null) {
            throw new HookRefused(404, "no Viber bot is configured");
        }
        if (!Hmac.verify(botToken, raw, signature)) {
            throw new HookRefused(401, "X-Viber-Content-Signature is missing or does not match the body");
        }
        JsonObject b;
        try {
            b = new JsonObject(Buffer.buffer(raw));
        } catch (DecodeException | ClassCastException e) {
            throw new HookRefused(400, "malformed body: " + e.getMessage());
        }
        String event = b.getString("event");
        if (event == null) {
            throw new HookRefused(400, "a callback without event");
        }
        Instant at = b.getValue("timestamp") instanceof Number
                ? Instant.ofEpochMilli(b.getLong("timestamp")) : clock.instant();
        String token = b.getValue("message_token") == null ? null : String.valueOf(b.getValue("message_token"));
        switch (event) {
            case "delivered":
            case "seen":
            case "failed":
                if (token == null) {
                    throw new HookRefused(400, event + " without message_token");
                }
                Status st = "delivered".equals(event) ? Status.DELIVERED : "seen".equals(event) ? Status.READ
                        : Status.UNDELIVERED;
                return new Inbound(List.of(new ChannelEvent.StatusReport(ChannelType.VIBER, token, st,
                        "failed".equals(event) ? b.getString("desc") : null, at)), List.of(token));
            case "unsubscribed":
                String user = b.getString("user_id");
                if (user == null) {
                    throw new HookRefused(400, "unsubscribed without user_id");
                }
                ChatPeers.BotUser cached = users.cachedBotUser(user);
                if (cached != null) {
                    unsubscribed(user, cached.address());
                    return new Inbound(List.of(new ChannelEvent.StatusReport(ChannelType.VIBER, cached.lastToken(),
                            Status.UNSUBSCRIBED, null, at)), List.of());
                }
                // not sent to from this process: the number is looked up where every node keeps it, the
                // stop-list add and the status follow on their own
                users.botUser(user).onComplete(found -> {
                    ChatPeers.BotUser u = found.succeeded() ? found.result() : null;
                    if (found.failed()) {
                        LOG.warn("viber user {}: number not found ({}), stop-listed by user id", user,
                                found.cause().toString());
                    }
                    unsubscribed(user, u == null ? "viber:" + user : u.address());
                    if (u != null) {
                        handler.handle(new ChannelEvent.StatusReport(ChannelType.VIBER, u.lastToken(),
                                Status.UNSUBSCRIBED, null, at));
                    }
                });
                return new Inbound(List.of(), List.of());
            case "message":
                JsonObject sender = b.getJsonObject("sender");
                JsonObject msg = b.getJsonObject("message");
                if (sender == null || sender.getString("id") == null || msg == null) {
                    throw new HookRefused(400, "a message without sender or message");
                }
                String text = msg.getString("text");
                ChatPeers.BotUser u = users.cachedBotUser(sender.getString("id"));
                String from = msg.getString("tracking_data", u == null ? "viber:" + sender.getString("id")
                        : u.address());
                return text == null ? new Inbound(List.of(), List.of())
                        : new Inbound(List.of(new ChannelEvent.Reply(ChannelType.VIBER, from, null, text, at)),
                        List.of());
            case "subscribed":
            case "conversation_started":
            case "webhook":
            case "client_status":
                return new Inbound(List.of(), List.of());
            default:
                throw new HookRefused(400, "unknown event " + event);
        }
    }

    private void unsubscribed(String user, String address) {
        LOG.info("viber user {} ({}) unsubscribed", user, address);
        if (stopList != null) {
            // blocking SPI: the router calls this on the event loop, so hop to a worker
            vertx.executeBlocking(() -> {
                stopList.accept(address, "viber unsubscribe");
                return null;
            }, false).onFailure(e -> LOG.error("stop-list add of {} failed", address, e));
        }
    }

    /** Reads a partner callback (reports, inbound messages) through the partner's mapping. */
    public Inbound parsePartnerCallback(byte[] raw, Function<String, String> headers) {
        if (partner == null) {
            throw new HookRefused(404, "no Viber partner is configured");
        }
        return partner.callback(raw, headers);
    }

    /** True when this channel issued the provider id. */
    public boolean issued(String providerId) {
        return issued.contains(providerId);
    }

    /** Hands an event to the engine's handler. */
    public void deliver(ChannelEvent e) {
        handler.handle(e);
    }

    @Override
    public void close() {
        http.close();
    }
}

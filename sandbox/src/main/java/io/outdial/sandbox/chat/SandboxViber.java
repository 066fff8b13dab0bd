package io.outdial.sandbox.chat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Viber stand-in on loopback, two APIs on one port: the REST Bot API ({@code POST /pa/send_message} with
 * {@code X-Viber-Auth-Token}; callbacks signed with {@code X-Viber-Content-Signature}) and Infobip Viber
 * business messages ({@code POST /viber/2/messages} with {@code Authorization: App <key>}; delivery reports,
 * seen reports and inbound messages posted with HTTP Basic authentication). Recipients follow
 * {@link ChatScript}s by Viber user id (bot) or number (Infobip).
 */
public final class SandboxViber implements AutoCloseable {

    private static final DateTimeFormatter IB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final Vertx vertx = Vertx.vertx();
    private final String botToken;
    private final String apiKey;
    private final String hookAuth;
    private final Callbacks callbacks;
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final Map<String, ChatScript> scripts = new ConcurrentHashMap<>();
    private final Set<String> unsubscribed = ConcurrentHashMap.newKeySet();
    private final AtomicLong tokens = new AtomicLong(5_741_311_803_571_721_000L);
    private volatile ChatScript defaultScript = ChatScript.inOrder(java.time.Duration.ofMillis(20));
    private volatile String botWebhook;
    private volatile String partnerWebhook;
    private HttpServer server;

    /**
     * @param botToken     the bot's auth token
     * @param apiKey       the Infobip API key
     * @param hookUser     Basic-auth user of the Infobip notify URL
     * @param hookPassword its password
     */
    public SandboxViber(String botToken, String apiKey, String hookUser, String hookPassword) {
        this.botToken = botToken;
        this.apiKey = apiKey;
        this.hookAuth = "Basic " + Base64.getEncoder().encodeToString((hookUser + ":" + hookPassword)
                .getBytes(StandardCharsets.UTF_8));
        this.callbacks = new Callbacks(vertx);
    }

    /** Listens on a free loopback port; returns it. */
    public int start() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false));
        r.post("/pa/send_message").handler(this::botSend);
        r.post("/viber/2/messages").handler(this::infobipSend);
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").await();
        return server.actualPort();
    }

    /** The bot API root to configure ({@code http://127.0.0.1:<port>/pa}). */
    public String botBaseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/pa";
    }

    /** The Infobip base URL to configure. */
    public String infobipBaseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Where bot callbacks go. */
    public void botWebhook(String url) {
        this.botWebhook = url;
    }

    /** Where Infobip reports and inbound messages go. */
    public void partnerWebhook(String url) {
        this.partnerWebhook = url;
    }

    /** The script of a bot user id or a number (with or without {@code +}). */
    public void script(String userIdOrNumber, ChatScript script) {
        scripts.put(strip(userIdOrNumber), script);
    }

    /** The script of everyone else (default: in order, 20 ms apart). */
    public void defaultScript(ChatScript script) {
        this.defaultScript = script;
    }

    /** Messages accepted so far, both APIs. */
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** Every callback attempt so far. */
    public List<Callbacks.Attempt> callbacks() {
        return callbacks.attempts();
    }

    /** True once the bot user unsubscribed. */
    public boolean isUnsubscribed(String userId) {
        return unsubscribed.contains(userId);
    }

    /** The {@code X-Viber-Content-Signature} of a body. */
    public String botSignature(String body) {
        return Callbacks.hmacHex(botToken, body);
    }

    /** Posts a raw body to the bot webhook, signed. */
    public void postBotSigned(String body) {
        callbacks.post(botWebhook, botHeaders(body), body);
    }

    private void botSend(RoutingContext ctx) {
        if (!botToken.equals(ctx.request().getHeader("X-Viber-Auth-Token"))) {
            botAnswer(ctx, 2, "invalidAuthToken", null);
            return;
        }
        JsonObject b = json(ctx);
        String receiver = b == null ? null : b.getString("receiver");
        JsonObject sender = b == null ? null : b.getJsonObject("sender");
        String text = b == null ? null : b.getString("text");
        if (receiver == null || !"text".equals(b.getString("type")) || text == null || text.isEmpty()
                || text.length() > 7000 || sender == null || sender.getString("name") == null
                || sender.getString("name").length() > 28) {
            botAnswer(ctx, 3, "badData", null);
            return;
        }
        if (unsubscribed.contains(receiver)) {
            botAnswer(ctx, 6, "notSubscribed", null);
            return;
        }
        ChatScript script = scripts.getOrDefault(receiver, defaultScript);
        if (script.refuse() != null) {
            botAnswer(ctx, Integer.parseInt(script.refuse().code()), script.refuse().message(), null);
            return;
        }
        String token = String.valueOf(tokens.incrementAndGet());
        sent.add(new SentMessage(token, "viber-bot", receiver, "text", text, null, List.of(), b.encode()));
        botAnswer(ctx, 0, "ok", token);
        String tracking = b.getString("tracking_data");
        for (ChatScript.Step s : script.steps()) {
            vertx.setTimer(Math.max(1, s.after().toMillis()), x -> playBot(token, receiver, tracking, s));
        }
    }

    private void playBot(String token, String user, String tracking, ChatScript.Step s) {
        JsonObject e = new JsonObject().put("timestamp", System.currentTimeMillis())
                .put("chat_hostname", "SN-CHAT-sandbox");
        switch (s.kind()) {
            case SENT:
                return;
            case DELIVERED:
                e.put("event", "delivered").put("message_token", Long.parseLong(token)).put("user_id", user);
                break;
            case READ:
                e.put("event", "seen").put("message_token", Long.parseLong(token)).put("user_id", user);
                break;
            case FAILED:
                e.put("event", "failed").put("message_token", Long.parseLong(token)).put("user_id", user)
                        .put("desc", "sandbox failure " + s.value());
                break;
            case UNSUBSCRIBED:
                unsubscribed.add(user);
                e.put("event", "unsubscribed").put("user_id", user).put("message_token", tokens.incrementAndGet());
                break;
            default:
                JsonObject msg = new JsonObject().put("type", "text").put("text", s.value());
                if (tracking != null) {
                    msg.put("tracking_data", tracking);
                }
                e.put("event", "message").put("message_token", tokens.incrementAndGet()).put("sender",
                        new JsonObject().put("id", user).put("name", "Sandbox user").put("api_version", 10))
                        .put("message", msg);
        }
        if (botWebhook != null) {
            String body = e.encode();
            callbacks.post(botWebhook, botHeaders(body), body);
        }
    }

    private MultiMap botHeaders(String body) {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Viber-Content-Signature", botSignature(body));
    }

    private static void botAnswer(RoutingContext ctx, int status, String message, String token) {
        JsonObject a = new JsonObject().put("status", status).put("status_message", message);
        if (token != null) {
            a.put("message_token", Long.parseLong(token)).put("chat_hostname", "SN-CHAT-sandbox");
        }
        ctx.response().putHeader("Content-Type", "application/json").end(a.encode());
    }

    private void infobipSend(RoutingContext ctx) {
        if (!("App " + apiKey).equals(ctx.request().getHeader("Authorization"))) {
            infobipError(ctx, 401, "UNAUTHORIZED", "Invalid login details");
            return;
        }
        JsonObject b = json(ctx);
        JsonArray messages = b == null ? null : b.getJsonArray("messages");
        JsonObject m = messages == null || messages.isEmpty() ? null : messages.getJsonObject(0);
        JsonArray dests = m == null ? null : m.getJsonArray("destinations");
        JsonObject content = m == null ? null : m.getJsonObject("content");
        if (m == null || m.getString("sender") == null || dests == null || dests.isEmpty() || content == null
                || !"TEXT".equals(content.getString("type")) || content.getString("text") == null
                || content.getString("text").isEmpty() || content.getString("text").length() > 1000) {
            infobipError(ctx, 400, "BAD_REQUEST", "Bad request");
            return;
        }
        JsonObject button = content.getJsonObject("button");
        if (button != null && (button.getString("title") == null || button.getString("title").length() > 30
                || button.getString("action") == null)) {
            infobipError(ctx, 400, "BAD_REQUEST", "Invalid button");
            return;
        }
        String to = dests.getJsonObject(0).getString("to");
        ChatScript script = scripts.getOrDefault(to, defaultScript);
        if (script.refuse() != null) {
            infobipError(ctx, script.refuse().httpStatus(), script.refuse().code(), script.refuse().message());
            return;
        }
        String id = dests.getJsonObject(0).getString("messageId", "ib-" + tokens.incrementAndGet());
        String sender = m.getString("sender");
        sent.add(new SentMessage(id, "infobip", to, "text", content.getString("text"), null, List.of(), b.encode()));
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("bulkId", "sandbox-bulk-" + id).put("messages", new JsonArray().add(new JsonObject()
                        .put("messageId", id).put("destination", to).put("status", new JsonObject()
                                .put("groupId", 1).put("groupName", "PENDING").put("id", 26)
                                .put("name", "PENDING_ACCEPTED").put("description", "Message sent to next instance"))))
                .encode());
        for (ChatScript.Step s : script.steps()) {
            vertx.setTimer(Math.max(1, s.after().toMillis()), x -> playInfobip(id, to, sender, s));
        }
    }

    private void playInfobip(String id, String to, String sender, ChatScript.Step s) {
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(IB_TIME);
        JsonObject r;
        switch (s.kind()) {
            case SENT:
            case UNSUBSCRIBED:
                return;
            case DELIVERED:
                r = report(id, to, now, new JsonObject().put("groupId", 3).put("groupName", "DELIVERED").put("id", 5)
                        .put("name", "DELIVERED_TO_HANDSET"), 0);
                break;
            case FAILED:
                r = report(id, to, now, new JsonObject().put("groupId", 2).put("groupName", "UNDELIVERABLE")
                        .put("id", 9).put("name", "UNDELIVERABLE_NOT_DELIVERED"), Integer.parseInt(s.value()));
                break;
            case READ:
                r = new JsonObject().put("messageId", id).put("to", to).put("from", sender).put("sentAt", now)
                        .put("seenAt", now);
                break;
            default:
                r = new JsonObject().put("sender", to).put("to", sender).put("integrationType", "VIBER")
                        .put("receivedAt", now).put("messageId", "ib-in-" + tokens.incrementAndGet())
                        .put("message", new JsonObject().put("type", "TEXT").put("text", s.value()));
        }
        if (partnerWebhook != null) {
            String body = new JsonObject().put("results", new JsonArray().add(r)).encode();
            callbacks.post(partnerWebhook, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                    .add("Authorization", hookAuth), body);
        }
    }

    private static JsonObject report(String id, String to, String now, JsonObject status, int error) {
        return new JsonObject().put("bulkId", "sandbox-bulk-" + id).put("messageId", id).put("to", to)
                .put("sentAt", now).put("doneAt", now).put("messageCount", 1).put("status", status)
                .put("error", new JsonObject().put("groupId", error == 0 ? 0 : 1)
                        .put("groupName", error == 0 ? "OK" : "HANDSET_ERRORS").put("id", error)
                        .put("name", error == 0 ? "NO_ERROR" : "SANDBOX_ERROR").put("permanent", error != 0))
                .put("channel", "VIBER");
    }

    private static void infobipError(RoutingContext ctx, int status, String id, String text) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("requestError", new JsonObject().put("serviceException", new JsonObject().put("messageId", id)
                        .put("text", text))).encode());
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String strip(String s) {
        return s.startsWith("+") ? s.substring(1) : s;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        callbacks.close();
        vertx.close().await();
    }
}

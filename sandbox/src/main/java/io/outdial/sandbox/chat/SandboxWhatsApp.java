package io.outdial.sandbox.chat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WhatsApp Cloud API stand-in on loopback: {@code POST /{version}/{phone-number-id}/messages} with a bearer
 * token, text and template messages checked for format, then the webhook called back with
 * {@code X-Hub-Signature-256} as the recipient's {@link ChatScript} says.
 */
public final class SandboxWhatsApp implements AutoCloseable {

    private final Vertx vertx;
    private final boolean ownVertx;
    private final String token;
    private final String appSecret;
    private final String phoneNumberId;
    private final Callbacks callbacks;
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();
    private final Map<String, ChatScript> scripts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 500;
    private volatile ChatScript defaultScript = ChatScript.inOrder(java.time.Duration.ofMillis(20));
    private volatile String webhook;
    private HttpServer server;

    /** A stand-in accepting this token and signing with this app secret, for one phone number id. */
    public SandboxWhatsApp(String token, String appSecret, String phoneNumberId) {
        this(Vertx.vertx(), true, token, appSecret, phoneNumberId);
    }

    private SandboxWhatsApp(Vertx vertx, boolean own, String token, String appSecret, String phoneNumberId) {
        this.vertx = vertx;
        this.ownVertx = own;
        this.token = token;
        this.appSecret = appSecret;
        this.phoneNumberId = phoneNumberId;
        this.callbacks = new Callbacks(vertx);
    }

    /** Listens on a free loopback port; returns it. */
    public int start() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false));
        r.post("/:version/:phone/messages").handler(this::send);
        server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").await();
        return server.actualPort();
    }

    /** {@code http://127.0.0.1:<port>}: the base URL to configure. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Where notifications go. */
    public void webhook(String url) {
        this.webhook = url;
    }

    /** The script for a number (with or without {@code +}). */
    public void script(String number, ChatScript script) {
        scripts.put(strip(number), script);
    }

    /** The script of numbers without one (default: in order, 20 ms apart). */
    public void defaultScript(ChatScript script) {
        this.defaultScript = script;
    }

    /** The next {@code n} sends are answered with this status (500, 429...) before being looked at. */
    public void failNext(int n, int httpStatus) {
        failStatus = httpStatus;
        failNext.set(n);
    }

    /** Messages accepted so far. */
    public List<SentMessage> sent() {
        return List.copyOf(sent);
    }

    /** Every callback attempt so far. */
    public List<Callbacks.Attempt> callbacks() {
        return callbacks.attempts();
    }

    /** A message from a user without a prior message (opens the 24-hour window). */
    public void sendInbound(String from, String text) {
        post(messageValue(strip(from), "text", text));
    }

    /** Posts a raw body to the webhook with a valid signature (for tests of the receiving side). */
    public void postSigned(String body) {
        callbacks.post(webhook, headers(body), body);
    }

    /** The {@code X-Hub-Signature-256} value of a body. */
    public String signature(String body) {
        return "sha256=" + Callbacks.hmacHex(appSecret, body);
    }

    private void send(RoutingContext ctx) {
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(ctx, failStatus, failStatus == 429 ? 130429 : 1, "sandbox: scripted failure");
            return;
        }
        if (!("Bearer " + token).equals(ctx.request().getHeader("Authorization"))) {
            error(ctx, 401, 190, "Invalid OAuth access token");
            return;
        }
        if (!phoneNumberId.equals(ctx.pathParam("phone"))) {
            error(ctx, 400, 100, "Unsupported post request: unknown phone number id " + ctx.pathParam("phone"));
            return;
        }
        JsonObject b;
        try {
            b = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            b = null;
        }
        String problem = b == null ? "body is not JSON" : check(b);
        if (problem != null) {
            error(ctx, 400, 100, "(#100) Invalid parameter: " + problem);
            return;
        }
        String to = b.getString("to");
        ChatScript script = scripts.getOrDefault(to, defaultScript);
        if (script.refuse() != null) {
            error(ctx, script.refuse().httpStatus(), Integer.parseInt(script.refuse().code()),
                    script.refuse().message());
            return;
        }
        String id = "wamid.SBX" + ids.incrementAndGet();
        JsonObject t = b.getJsonObject("template");
        List<String> params = new ArrayList<>();
        if (t != null && t.getJsonArray("components") != null) {
            for (Object c : t.getJsonArray("components")) {
                for (Object p : ((JsonObject) c).getJsonArray("parameters", new JsonArray())) {
                    params.add(((JsonObject) p).getString("text"));
                }
            }
        }
        sent.add(new SentMessage(id, "whatsapp", to, b.getString("type"),
                b.getJsonObject("text") == null ? null : b.getJsonObject("text").getString("body"),
                t == null ? null : t.getString("name"), params, b.encode()));
        ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("messaging_product", "whatsapp")
                .put("contacts", new JsonArray().add(new JsonObject().put("input", to).put("wa_id", to)))
                .put("messages", new JsonArray().add(new JsonObject().put("id", id))).encode());
        for (ChatScript.Step s : script.steps()) {
            vertx.setTimer(Math.max(1, s.after().toMillis()), x -> play(id, to, s));
        }
    }

    private static String check(JsonObject b) {
        if (!"whatsapp".equals(b.getString("messaging_product"))) {
            return "messaging_product must be whatsapp";
        }
        String to = b.getString("to");
        if (to == null || !to.matches("\\+?[0-9]{6,15}")) {
            return "to must be a phone number";
        }
        String type = b.getString("type");
        if ("text".equals(type)) {
            String body = b.getJsonObject("text", new JsonObject()).getString("body");
            return body == null || body.isEmpty() || body.length() > 4096 ? "text.body must be 1..4096 characters"
                    : null;
        }
        if ("template".equals(type)) {
            JsonObject t = b.getJsonObject("template");
            if (t == null || t.getString("name") == null || t.getJsonObject("language") == null
                    || t.getJsonObject("language").getString("code") == null) {
                return "template needs name and language.code";
            }
            return null;
        }
        return "type must be text or template";
    }

    private void play(String id, String to, ChatScript.Step s) {
        switch (s.kind()) {
            case REPLY:
                post(messageValue(to, "text", s.value()));
                return;
            case BUTTON:
                post(messageValue(to, "button", s.value()));
                return;
            case UNSUBSCRIBED:
                post(statusValue(id, to, "failed", "131050"));
                return;
            case FAILED:
                post(statusValue(id, to, "failed", s.value()));
                return;
            default:
                post(statusValue(id, to, s.kind().name().toLowerCase(java.util.Locale.ROOT), null));
        }
    }

    private JsonObject statusValue(String id, String to, String status, String code) {
        JsonObject st = new JsonObject().put("id", id).put("status", status).put("recipient_id", to)
                .put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        if (code != null) {
            st.put("errors", new JsonArray().add(new JsonObject().put("code", Integer.parseInt(code))
                    .put("title", "sandbox failure " + code)));
        }
        return value().put("statuses", new JsonArray().add(st));
    }

    private JsonObject messageValue(String from, String type, String text) {
        JsonObject m = new JsonObject().put("from", from).put("id", "wamid.SBXIN" + ids.incrementAndGet())
                .put("timestamp", String.valueOf(System.currentTimeMillis() / 1000)).put("type", type);
        if ("button".equals(type)) {
            m.put("button", new JsonObject().put("payload", text).put("text", text));
        } else {
            m.put("text", new JsonObject().put("body", text));
        }
        return value().put("contacts", new JsonArray().add(new JsonObject()
                .put("profile", new JsonObject().put("name", "Sandbox " + from)).put("wa_id", from)))
                .put("messages", new JsonArray().add(m));
    }

    private JsonObject value() {
        return new JsonObject().put("messaging_product", "whatsapp").put("metadata", new JsonObject()
                .put("display_phone_number", "15550000000").put("phone_number_id", phoneNumberId));
    }

    private void post(JsonObject value) {
        if (webhook == null) {
            return;
        }
        String body = new JsonObject().put("object", "whatsapp_business_account").put("entry", new JsonArray()
                .add(new JsonObject().put("id", "sandbox-waba").put("changes", new JsonArray()
                        .add(new JsonObject().put("field", "messages").put("value", value))))).encode();
        callbacks.post(webhook, headers(body), body);
    }

    private MultiMap headers(String body) {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("X-Hub-Signature-256", signature(body));
    }

    private static void error(RoutingContext ctx, int status, int code, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject()
                .put("error", new JsonObject().put("message", message).put("type", "OAuthException")
                        .put("code", code).put("fbtrace_id", "sandbox")).encode());
    }

    private static String strip(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        callbacks.close();
        if (ownVertx) {
            vertx.close().await();
        }
    }
}

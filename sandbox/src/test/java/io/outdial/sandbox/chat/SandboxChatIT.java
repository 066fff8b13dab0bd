package io.outdial.sandbox.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat stand-ins check tokens and formats, sign their callbacks, and send a refused callback again. */
class SandboxChatIT {

    Vertx vertx;
    WebClient web;
    HttpServer hook;
    final List<JsonObject> received = new CopyOnWriteArrayList<>();
    final List<String> signatures = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger refuseFirst = new AtomicInteger();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
        hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            if (refuseFirst.getAndDecrement() > 0) {
                req.response().setStatusCode(503).end();
                return;
            }
            String sig = req.getHeader("X-Hub-Signature-256");
            signatures.add(sig != null ? sig : req.getHeader("X-Viber-Content-Signature"));
            bodies.add(b.toString());
            received.add(b.toJsonObject());
            req.response().end();
        })).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void tearDown() {
        hook.close().await();
        vertx.close().await();
    }

    HttpResponse<Buffer> post(String url, String header, String value, JsonObject body) {
        var req = web.postAbs(url);
        if (header != null) {
            req.putHeader(header, value);
        }
        return req.sendJsonObject(body).await();
    }

    @Test
    void whatsAppChecksTokenAndFormatAndSignsItsNotifications() {
        try (SandboxWhatsApp wa = new SandboxWhatsApp("tok", "secret", "1065")) {
            wa.start();
            wa.webhook("http://127.0.0.1:" + hook.actualPort() + "/");
            wa.defaultScript(ChatScript.inOrder(Duration.ofMillis(10)));
            String url = wa.baseUrl() + "/v21.0/1065/messages";
            JsonObject text = new JsonObject().put("messaging_product", "whatsapp").put("to", "79001234567")
                    .put("type", "text").put("text", new JsonObject().put("body", "hi"));
            assertThat(post(url, "Authorization", "Bearer wrong", text).statusCode()).isEqualTo(401);
            assertThat(post(url, null, null, text).statusCode()).isEqualTo(401);
            assertThat(post(url, "Authorization", "Bearer tok", text.copy().put("type", "video")).statusCode())
                    .isEqualTo(400);
            assertThat(post(wa.baseUrl() + "/v21.0/999/messages", "Authorization", "Bearer tok", text).statusCode())
                    .isEqualTo(400);
            refuseFirst.set(1);
            HttpResponse<Buffer> ok = post(url, "Authorization", "Bearer tok", text);
            assertThat(ok.statusCode()).isEqualTo(200);
            String id = ok.bodyAsJsonObject().getJsonArray("messages").getJsonObject(0).getString("id");
            await().until(() -> received.size() == 3);
            for (int i = 0; i < 3; i++) {
                assertThat(signatures.get(i)).isEqualTo(wa.signature(bodies.get(i)));
            }
            assertThat(received).extracting(j -> j.getJsonArray("entry").getJsonObject(0).getJsonArray("changes")
                    .getJsonObject(0).getJsonObject("value").getJsonArray("statuses").getJsonObject(0)
                    .getString("status")).containsExactlyInAnyOrder("sent", "delivered", "read");
            assertThat(received).allMatch(j -> j.encode().contains(id));
            // the refused first callback ("sent") was sent again, after the others: retries reorder callbacks
            assertThat(wa.callbacks()).extracting(Callbacks.Attempt::status).startsWith(503, 200);
            assertThat(wa.sent()).hasSize(1);
        }
    }

    @Test
    void viberBotChecksTokenAndSubscriptionAndSignsItsCallbacks() {
        try (SandboxViber viber = new SandboxViber("bot", "key", "u", "p")) {
            viber.start();
            viber.botWebhook("http://127.0.0.1:" + hook.actualPort() + "/");
            viber.script("user-1", ChatScript.inOrder(Duration.ofMillis(10)).thenUnsubscribe(Duration.ofMillis(50)));
            String url = viber.botBaseUrl() + "/send_message";
            JsonObject msg = new JsonObject().put("receiver", "user-1").put("type", "text").put("text", "hi")
                    .put("sender", new JsonObject().put("name", "Outdial"));
            assertThat(post(url, "X-Viber-Auth-Token", "wrong", msg).bodyAsJsonObject().getInteger("status"))
                    .isEqualTo(2);
            assertThat(post(url, "X-Viber-Auth-Token", "bot", msg)
                    .bodyAsJsonObject().getInteger("status")).isEqualTo(0);
            await().until(() -> viber.isUnsubscribed("user-1") && received.size() == 3);
            // callbacks go out on their own requests, as a provider's do: on a busy machine they may arrive reordered
            assertThat(received).extracting(j -> j.getString("event")).containsExactlyInAnyOrder("delivered", "seen",
                    "unsubscribed");
            for (int i = 0; i < 3; i++) {
                assertThat(signatures.get(i)).isEqualTo(viber.botSignature(bodies.get(i)));
            }
            assertThat(post(url, "X-Viber-Auth-Token", "bot", msg).bodyAsJsonObject().getInteger("status"))
                    .isEqualTo(6);
            JsonObject noSender = msg.copy();
            noSender.remove("sender");
            assertThat(post(url, "X-Viber-Auth-Token", "bot", noSender).bodyAsJsonObject().getInteger("status"))
                    .isEqualTo(3);
        }
    }
}

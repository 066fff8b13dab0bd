package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow try API on a demo node (sandbox PBX): a designer tries a stored flow on the node's call engine, presses a
 * key into the live call, fetches a prompt's audio and reads the path, answers and outcome; roles, unknown tries,
 * another user's try and the limit of live tries.
 */
@Timeout(300)
class FlowTriesApiIT {
    /** A say prompt (TTS), a menu with two branches, a variable set on one of them, a goal and the hang-up. */
    static final String FLOW = String.join("\n",
        "id: try-survey",
        "version: 1",
        "name: Try survey",
        "start: hello",
        "variables: {mood: \"\"}",
        "nodes:",
        "  hello:",
        "    type: say",
        "    text: Hello, this is a short survey.",
        "    next: ask",
        "  ask:",
        "    type: gather",
        "    prompt: {say: \"Press 1 if you liked it, 2 if not.\"}",
        "    menu: {\"1\": liked, \"2\": disliked}",
        "    timeout: 60",
        "    retries: 1",
        "    onFail: bye",
        "  liked:",
        "    type: set",
        "    values: {mood: happy}",
        "    next: goal",
        "  goal:",
        "    type: goal",
        "    name: liked",
        "    next: bye",
        "  disliked:",
        "    type: goal",
        "    name: disliked",
        "    next: bye",
        "  bye:",
        "    type: hangup",
        "");

    @TempDir
    static Path dataDir;
    static DialerApp app;
    static ApiTestClient designer;

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start(), 180);
        designer = new ApiTestClient(app.httpPort(), TestAuth.token(app, Role.DESIGNER));
        Res saved = designer.put("/api/v1/flows/try-survey", FLOW, "application/yaml");
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        assertThat(saved.json().getBoolean("valid")).as(saved.body()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            Await.result(app.stop(), 120);
        }
    }

    static JsonArray events(ApiTestClient as, String tryId) {
        return as.get("/api/v1/tries/" + tryId).json().getJsonArray("events");
    }

    static List<String> types(JsonArray events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(((JsonObject) e).getString("type")));
        return out;
    }

    @Test
    void aDesignerTriesAFlowPressesAKeyAndReadsTheResult() throws Exception {
        Res created = designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().getString("tryId");
        assertThat(created.json().getInteger("version")).isEqualTo(1);
        // keys before the answer are refused
        await().atMost(Duration.ofSeconds(60)).until(() -> types(events(designer, id)).contains("answered"));
        await().atMost(Duration.ofSeconds(60)).until(() -> events(designer, id).stream().map(JsonObject.class::cast)
            .anyMatch(e -> "node".equals(e.getString("type")) && "ask".equals(e.getString("nodeId"))));
        JsonObject prompt = events(designer, id).stream().map(JsonObject.class::cast)
            .filter(e -> "prompt".equals(e.getString("type"))).findFirst().orElseThrow();
        assertThat(prompt.getString("kind")).isEqualTo("tts");
        assertThat(prompt.getString("text")).isEqualTo("Hello, this is a short survey.");
        HttpResponse<byte[]> audio = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.httpPort() + prompt.getString("audio")))
            .header("Authorization", TestAuth.bearer(designer.token())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(audio.statusCode()).isEqualTo(200);
        assertThat(audio.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(new String(audio.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(audio.body().length).isGreaterThan(1000);
        assertThat(designer.get("/api/v1/tries/" + id + "/prompts/999").status()).isEqualTo(404);

        assertThat(designer.postJson("/api/v1/tries/" + id + "/dtmf", new JsonObject().put("digits", "x")).status())
            .isEqualTo(400);
        Res pressed = designer.postJson("/api/v1/tries/" + id + "/dtmf", new JsonObject().put("digits", "1"));
        assertThat(pressed.status()).as(pressed.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ENDED".equals(designer.get("/api/v1/tries/" + id).json()
            .getString("state")));
        JsonObject tryNow = designer.get("/api/v1/tries/" + id).json();
        JsonObject result = tryNow.getJsonObject("result");
        assertThat(result.getString("outcome")).isEqualTo("ANSWERED");
        assertThat(result.getString("completion")).isEqualTo("COMPLETED");
        assertThat(result.getJsonObject("answers").getString("ask")).isEqualTo("1");
        assertThat(result.getJsonObject("vars").getString("mood")).isEqualTo("happy");
        assertThat(result.getBoolean("goalReached")).isTrue();
        assertThat(result.getString("goal")).isEqualTo("liked");
        assertThat(result.getJsonArray("path").getList()).containsExactly("hello", "ask", "liked", "goal", "bye");
        List<String> types = types(tryNow.getJsonArray("events"));
        assertThat(types).containsSubsequence("dialing", "answered", "node", "prompt", "node", "prompt", "pressed",
            "dtmf", "node", "node", "node", "ended");
        assertThat(tryNow.getJsonArray("events").stream().map(JsonObject.class::cast)
            .filter(e -> "dtmf".equals(e.getString("type"))).map(e -> e.getString("digit")).toList())
            .containsExactly("1");

        // the event stream of an ended try: every event, then the end of the stream
        HttpResponse<String> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.httpPort() + "/api/ui/tries/" + id + "/events"))
            .header("Authorization", TestAuth.bearer(designer.token())).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(stream.body()).contains("\"type\":\"node\"").contains("\"nodeId\":\"liked\"")
            .contains("\"type\":\"ended\"");
        // ended: keys are refused, a hang-up is a no-op
        assertThat(designer.postJson("/api/v1/tries/" + id + "/dtmf", new JsonObject().put("digits", "2")).status())
            .isEqualTo(409);
        assertThat(designer.delete("/api/v1/tries/" + id).status()).isEqualTo(204);
    }

    @Test
    void rolesUnknownTriesAndAnotherUsersTry() throws Exception {
        ApiTestClient viewer = new ApiTestClient(app.httpPort(), TestAuth.token(app, Role.VIEWER));
        ApiTestClient supervisor = new ApiTestClient(app.httpPort(), TestAuth.token(app, Role.SUPERVISOR));
        ApiTestClient other = new ApiTestClient(app.httpPort(), app.security()
            .createToken("other-designer", Role.DESIGNER, "test", null));
        for (ApiTestClient lesser : List.of(viewer, supervisor)) {
            assertThat(lesser.postJson("/api/v1/flows/try-survey/tries", new JsonObject()).status()).isEqualTo(403);
        }
        assertThat(designer.postJson("/api/v1/flows/no-such-flow/tries", new JsonObject()).status()).isEqualTo(404);
        assertThat(designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject().put("version", 7)).status())
            .isEqualTo(404);
        assertThat(designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject().put("version", "x")).status())
            .isEqualTo(400);
        assertThat(designer.get("/api/v1/tries/nope").status()).isEqualTo(404);
        assertThat(designer.delete("/api/v1/tries/nope").status()).isEqualTo(404);
        assertThat(designer.postJson("/api/v1/tries/nope/dtmf", new JsonObject().put("digits", "1")).status())
            .isEqualTo(404);
        assertThat(designer.get("/api/v1/tries/nope/prompts/1").status()).isEqualTo(404);
        assertThat(designer.get("/api/ui/tries/nope/events").status()).isEqualTo(404);

        Res created = designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject().put("version", 1));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().getString("tryId");
        assertThat(viewer.get("/api/ui/tries/" + id + "/events").status()).as("the stream is a designer's").isEqualTo(403);
        assertThat(viewer.get("/api/v1/tries/" + id).status()).isEqualTo(403);
        assertThat(other.get("/api/v1/tries/" + id).status()).as("another designer's try").isEqualTo(404);
        assertThat(other.delete("/api/v1/tries/" + id).status()).isEqualTo(404);
        assertThat(designer.delete("/api/v1/tries/" + id).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ENDED".equals(designer.get("/api/v1/tries/" + id).json()
            .getString("state")));
    }

    @Test
    void tooManyLiveTriesAreRefusedAndAHangUpEndsThem() {
        List<String> ids = new ArrayList<>();
        Res refused = null;
        for (int i = 0; i < 10 && refused == null; i++) {
            Res r = designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject());
            if (r.status() == 201) {
                ids.add(r.json().getString("tryId"));
            } else {
                refused = r;
            }
        }
        assertThat(refused).as("a try past the limit").isNotNull();
        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.json().getString("error")).isEqualTo("too_many_tries");
        assertThat(ids).hasSize(3);
        for (String id : ids) {
            assertThat(designer.delete("/api/v1/tries/" + id).status()).isEqualTo(204);
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "ENDED".equals(designer.get("/api/v1/tries/" + id)
                .json().getString("state")));
        }
        Res again = designer.postJson("/api/v1/flows/try-survey/tries", new JsonObject());
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        String last = again.json().getString("tryId");
        designer.delete("/api/v1/tries/" + last);
        await().atMost(Duration.ofSeconds(60)).until(() -> "ENDED".equals(designer.get("/api/v1/tries/" + last)
            .json().getString("state")));
    }
}

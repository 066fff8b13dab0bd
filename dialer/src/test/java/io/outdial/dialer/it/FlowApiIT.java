package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The flow API in a whole node: validate, save versions and drafts, read them back, aggregates. */
@Timeout(60)
class FlowApiIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static String survey;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        app = DialerApp.create(TestConfigs.local(dataDir));
        app.add(IvrWiring.flowsOnly(app.vertx(), app.database(), app.clock(),
            () -> new TtsRegistry(List.of(new FreeTtsEngine()))));
        app.start().toCompletionStage().toCompletableFuture().join();
        token = io.outdial.dialer.support.TestAuth.adminToken(app);
        survey = Files.readString(Path.of("../ivr/examples/survey-3-questions.json"));
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    static HttpResponse<String> send(String method, String path, String body, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void validateReturnsTheSameProblemsAsTheCli() throws Exception {
        HttpResponse<String> res = send("POST", "/api/v1/flows/validate",
            "id: f\nversion: 1\nstart: a\nnodes:\n  a: {type: say, text: hi, next: gone}\n", "application/yaml");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(res.body());
        assertThat(body.getBoolean("valid")).isFalse();
        assertThat(body.getJsonArray("problems").getJsonObject(0).getString("text"))
            .isEqualTo("ERROR $.nodes.a.next [node a]: \"next\" leads to \"gone\", which is not a node of this flow");
    }

    @Test
    void savingCreatesVersionsAndDraftsAreKeptWithTheirProblems() throws Exception {
        HttpResponse<String> first = send("PUT", "/api/v1/flows/satisfaction-survey", survey, "application/json");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(new JsonObject(first.body()).getInteger("version")).isEqualTo(1);
        assertThat(send("PUT", "/api/v1/flows/satisfaction-survey", survey, "application/json").statusCode())
            .isEqualTo(200);
        HttpResponse<String> draft = send("PUT", "/api/v1/flows/satisfaction-survey",
            survey.replace("\"next\": \"q1\"", "\"next\": \"q9\""), "application/json");
        assertThat(draft.statusCode()).isEqualTo(201);
        JsonObject d = new JsonObject(draft.body());
        assertThat(d.getInteger("version")).isEqualTo(2);
        assertThat(d.getBoolean("valid")).isFalse();
        assertThat(d.getJsonArray("problems").getString(0)).contains("[node intro]").contains("\"q9\"");
        JsonObject list = new JsonObject(send("GET", "/api/v1/flows/satisfaction-survey", null, null).body());
        assertThat(list.getJsonArray("versions").size()).isEqualTo(2);
        JsonObject v1 = new JsonObject(send("GET", "/api/v1/flows/satisfaction-survey/versions/1", null, null).body());
        assertThat(v1.getString("document")).isEqualTo(survey);
        assertThat(send("GET", "/api/v1/flows/satisfaction-survey/versions/7", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/flows/nothing", null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> agg = send("GET", "/api/v1/flows/satisfaction-survey/versions/1/aggregates?campaign=c1",
            null, null);
        assertThat(agg.statusCode()).as(agg.body()).isEqualTo(200);
        assertThat(new JsonObject(agg.body()).getInteger("runs")).isZero();
        assertThat(send("GET", "/api/v1/flows/satisfaction-survey/versions/1/aggregates", null, null).statusCode())
            .isEqualTo(400);
        assertThat(send("GET", "/api/v1/flows/satisfaction-survey/versions/2/aggregates?campaign=c1", null, null)
            .statusCode()).as("a draft has no aggregates").isEqualTo(409);
    }
}

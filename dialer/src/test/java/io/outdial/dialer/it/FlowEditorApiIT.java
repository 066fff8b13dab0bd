package io.outdial.dialer.it;

import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonArray;
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
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow editor's endpoints in a whole node: the flow list and versions with the campaigns naming each flow,
 * and the TTS preview of a say text (audio/wav through the media component), with their roles.
 */
@Timeout(120)
class FlowEditorApiIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static ApiTestClient admin;
    static ApiTestClient viewer;
    static ApiTestClient designer;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String flow(String id, String text, String next) {
        return new JsonObject().put("id", id).put("version", 1).put("start", "hello").put("nodes", new JsonObject()
            .put("hello", new JsonObject().put("type", "say").put("text", text).put("next", next))
            .put("end", new JsonObject().put("type", "hangup"))).encodePrettily();
    }

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        Wiring.ivr(app);
        CampaignRunners runners = Wiring.campaignRunners(app);
        ApiRoutes api = Wiring.api(app, runners);
        app.add(runners);
        app.add(api);
        app.start().toCompletionStage().toCompletableFuture().join();
        admin = ApiTestClient.admin(app);
        viewer = admin.withToken(TestAuth.token(app, Role.VIEWER));
        designer = admin.withToken(TestAuth.token(app, Role.DESIGNER));
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void flowsAndVersionsListTheCampaignsRunningThem() {
        assertThat(designer.put("/api/v1/flows/editor-a", flow("editor-a", "Hello", "end"), "application/json")
            .status()).isEqualTo(201);
        assertThat(designer.put("/api/v1/flows/editor-a", flow("editor-a", "Hello again", "end"), "application/json")
            .status()).isEqualTo(201);
        // version 3 is a draft (a link to a missing node): the latest valid version stays 2
        assertThat(designer.put("/api/v1/flows/editor-a", flow("editor-a", "Hello", "gone"), "application/json")
            .status()).isEqualTo(201);
        JsonObject def = new JsonObject().put("id", "on-editor-a").put("name", "Uses editor-a").put("region", "FR")
            .put("calendar", new JsonObject().put("everyDay", new JsonArray().add("09:00-20:00")))
            .put("limits", new JsonObject().put("lines", 2)).put("flowId", "editor-a");
        Res created = designer.postJson("/api/v1/campaigns", def);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Res named = designer.postJson("/api/v1/campaigns", def.copy().put("id", "on-editor-a-v1").put("flowVersion", 1));
        assertThat(named.status()).as(named.body()).isEqualTo(201);

        Res list = viewer.get("/api/v1/flows");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonObject a = list.json().getJsonArray("items").stream().map(JsonObject.class::cast)
            .filter(f -> f.getString("flowId").equals("editor-a")).findFirst().orElseThrow();
        assertThat(a.getInteger("latestVersion")).isEqualTo(3);
        assertThat(a.getInteger("versions")).isEqualTo(3);
        assertThat(a.getInteger("latestValidVersion")).isEqualTo(2);
        assertThat(a.getJsonArray("campaigns").size()).isEqualTo(2);

        Res versions = viewer.get("/api/v1/flows/editor-a/versions");
        assertThat(versions.status()).as(versions.body()).isEqualTo(200);
        JsonArray vs = versions.json().getJsonArray("versions");
        assertThat(vs.size()).isEqualTo(3);
        JsonObject v1 = vs.getJsonObject(0);
        JsonObject v2 = vs.getJsonObject(1);
        assertThat(v1.getString("createdAt")).isNotBlank();
        assertThat(v1.getJsonArray("campaigns").getJsonObject(0).getString("id")).isEqualTo("on-editor-a-v1");
        assertThat(v1.getJsonArray("campaigns").getJsonObject(0).getString("runs")).isEqualTo("named");
        assertThat(v2.getJsonArray("campaigns").getJsonObject(0).getString("id")).isEqualTo("on-editor-a");
        assertThat(v2.getJsonArray("campaigns").getJsonObject(0).getString("runs")).isEqualTo("latestValid");
        assertThat(vs.getJsonObject(2).getBoolean("valid")).isFalse();
        assertThat(vs.getJsonObject(2).getJsonArray("campaigns")).isEmpty();

        assertThat(viewer.get("/api/v1/flows/no-such-flow/versions").status()).isEqualTo(404);
    }

    @Test
    void previewSpeaksASayTextAsWav() throws Exception {
        HttpResponse<byte[]> wav = preview(designer.token(),
            new JsonObject().put("text", "Hello {{contact.first_name|there}}, this is a preview.").encode());
        assertThat(wav.statusCode()).isEqualTo(200);
        assertThat(wav.headers().firstValue("Content-Type")).hasValue("audio/wav");
        assertThat(wav.body().length).isGreaterThan(1000);
        assertThat(new String(wav.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        // the same text again comes from the TTS cache: the same bytes
        HttpResponse<byte[]> again = preview(designer.token(), new JsonObject()
            .put("text", "Hello {{contact.first_name|there}}, this is a preview.")
            .put("voice", new JsonObject().put("engine", "freetts").put("voice", "kevin16")).encode());
        assertThat(again.body()).isEqualTo(wav.body());
        // the cached file Asterisk would fetch holds the same audio
        String cached = wav.headers().firstValue("Content-Location").orElseThrow();
        assertThat(cached).matches("/media/tts/[0-9a-f]{64}\\.wav");
        HttpResponse<byte[]> file = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
            + cached)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(wav.body());
    }

    @Test
    void previewRefusesBadRequestsClearly() throws Exception {
        assertThat(preview(designer.token(), "{}").statusCode()).isEqualTo(400);
        assertThat(preview(designer.token(), "not json").statusCode()).isEqualTo(400);
        assertThat(preview(designer.token(), new JsonObject().put("text", "Hi").put("voice", "nobody/none").encode())
            .statusCode()).isEqualTo(400);
        assertThat(preview(designer.token(), new JsonObject().put("text", "Hi").put("language", "xx-unknown")
            .encode()).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> tooLong = preview(designer.token(), new JsonObject().put("text", "a".repeat(1001))
            .encode());
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(new String(tooLong.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("1000");
        assertThat(preview(designer.token(), new JsonObject().put("text", "a".repeat(20_000)).encode())
            .statusCode()).isEqualTo(413);
    }

    @Test
    void aViewerMayListButNotPreviewOrSave() throws Exception {
        assertThat(viewer.get("/api/v1/flows").status()).isEqualTo(200);
        assertThat(preview(viewer.token(), new JsonObject().put("text", "Hi").encode()).statusCode()).isEqualTo(403);
        assertThat(viewer.put("/api/v1/flows/editor-b", flow("editor-b", "Hi", "end"), "application/json").status())
            .isEqualTo(403);
        ApiTestClient supervisor = admin.withToken(TestAuth.token(app, Role.SUPERVISOR));
        assertThat(preview(supervisor.token(), new JsonObject().put("text", "Hi").encode()).statusCode())
            .isEqualTo(403);
        assertThat(new ApiTestClient(app.httpPort()).get("/api/v1/flows").status()).isEqualTo(401);
    }

    static HttpResponse<byte[]> preview(String token, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort()
                + "/api/v1/flows/preview")).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }
}

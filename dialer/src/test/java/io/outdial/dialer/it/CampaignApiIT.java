package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The campaign API in a whole node on H2, over HTTP on loopback: create, read, replace, life-cycle moves (409 with
 * the allowed moves), delete, definition errors naming the field, paging, and an OpenAPI document that covers every
 * route mounted under /api/v1.
 */
@Timeout(90)
class CampaignApiIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static ApiRoutes api;
    static ApiTestClient http;

    static JsonObject definition(String id) {
        return new JsonObject().put("id", id).put("name", "Campaign " + id).put("region", "UA")
            .put("timeZone", "Europe/Kyiv").put("calendar", new JsonObject().put("weekdays",
                new JsonArray().add("09:00-18:00"))).put("limits", new JsonObject().put("lines", 4));
    }

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        var ivr = Wiring.ivr(app);
        app.add(Wiring.tries(app, ivr, null)); // the flow try routes, as serve has them (no sandbox: 409)
        CampaignRunners runners = Wiring.campaignRunners(app);
        api = Wiring.api(app, runners);
        app.add(runners);
        Wiring.cascade(app);
        app.add(api);
        app.start().toCompletionStage().toCompletableFuture().join();
        http = ApiTestClient.admin(app);
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void createReadReplaceAndMoveThroughTheLifeCycle() {
        Res created = http.postJson("/api/v1/campaigns", definition("life"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonObject c = created.json();
        assertThat(c.getString("state")).isEqualTo("DRAFT");
        assertThat(c.getJsonObject("definition").getString("region")).isEqualTo("UA");
        assertThat(c.getJsonObject("counters").getLong("total")).isZero();
        assertThat(c.getJsonObject("whyNotDialing").getString("code")).isEqualTo("draft");

        Res again = http.postJson("/api/v1/campaigns", definition("life"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("error")).isEqualTo("exists");

        Res replaced = http.put("/api/v1/campaigns/life", definition("life").put("name", "Renamed")
            .put("startsAt", "2099-01-05T09:00:00+02:00").encode(), "application/json");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.json().getString("name")).isEqualTo("Renamed");
        assertThat(replaced.json().getString("startsAt")).isEqualTo("2099-01-05T07:00:00Z");

        // this node has no Asterisk and the campaign no contacts: the preflight says so and a start is refused
        Res pre = http.get("/api/v1/campaigns/life/preflight");
        assertThat(pre.status()).as(pre.body()).isEqualTo(200);
        assertThat(pre.json().getBoolean("ok")).isFalse();
        assertThat(levels(pre.json())).containsEntry("definition", "ok").containsEntry("contacts", "error")
            .containsEntry("telephony", "error").containsEntry("calendar", "ok").containsEntry("flow", "warning");
        Res refused = move("life", "SCHEDULED");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("error")).isEqualTo("preflight_failed");
        assertThat(refused.json().getString("message")).contains("contacts: no contacts")
            .contains("no Asterisk server is configured").contains("force");
        assertThat(refused.json().getJsonObject("preflight").getLong("errors")).isEqualTo(2);
        assertThat(http.get("/api/v1/campaigns/life").json().getString("state")).isEqualTo("DRAFT");

        Res scheduled = http.postJson("/api/v1/campaigns/life/state", new JsonObject().put("state", "SCHEDULED")
            .put("force", true));
        assertThat(scheduled.status()).as(scheduled.body()).isEqualTo(200);
        assertThat(scheduled.json().getJsonObject("preflight").getBoolean("ok")).isFalse();
        JsonObject why = scheduled.json().getJsonObject("whyNotDialing");
        assertThat(why.getString("code")).isEqualTo("scheduled");
        assertThat(why.getString("until")).isEqualTo("2099-01-05T07:00:00Z");

        Res bad = move("life", "ARCHIVED");
        assertThat(bad.status()).isEqualTo(409);
        assertThat(bad.json().getString("error")).isEqualTo("invalid_transition");
        assertThat(bad.json().getString("message")).contains("SCHEDULED and cannot move to ARCHIVED");
        assertThat(bad.json().getJsonArray("allowed").getList()).containsExactlyInAnyOrder("DRAFT", "RUNNING",
            "FINISHED");

        assertThat(move("life", "running").status()).as("still no contacts").isEqualTo(409);
        Res running = http.postJson("/api/v1/campaigns/life/state", new JsonObject().put("state", "running")
            .put("force", true));
        assertThat(running.status()).as(running.body()).isEqualTo(200);
        assertThat(running.json().getString("state")).isEqualTo("RUNNING");
        assertThat(running.json().getJsonObject("whyNotDialing").getString("code"))
            .as("no Asterisk on this node: no runner, the reason says so").isEqualTo("starting");
        Res edit = http.put("/api/v1/campaigns/life", definition("life").encode(), "application/json");
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().getString("message")).contains("RUNNING").contains("pause it first");
        assertThat(http.delete("/api/v1/campaigns/life").status()).as("only drafts are deleted").isEqualTo(409);

        Res paused = move("life", "PAUSED");
        assertThat(paused.json().getJsonObject("whyNotDialing").getString("code")).isEqualTo("paused");
        assertThat(http.put("/api/v1/campaigns/life", definition("life").put("name", "While paused").encode(),
            "application/json").status()).isEqualTo(200);
        assertThat(move("life", "FINISHED").json().getJsonObject("whyNotDialing").getString("code"))
            .isEqualTo("finished");
        assertThat(move("life", "ARCHIVED").json().getJsonObject("whyNotDialing").getString("code"))
            .isEqualTo("archived");
        Res none = move("life", "RUNNING");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.json().getJsonArray("allowed").getList()).isEmpty();

        Res unknown = move("life", "SLEEPING");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("field")).isEqualTo("state");
        assertThat(http.postJson("/api/v1/campaigns/nothing/state", new JsonObject().put("state", "RUNNING"))
            .status()).isEqualTo(404);
        assertThat(http.get("/api/v1/campaigns/life").json().getString("name")).isEqualTo("While paused");
    }

    static java.util.Map<String, String> levels(JsonObject preflight) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        preflight.getJsonArray("checks").forEach(o -> out.put(((JsonObject) o).getString("check"),
            ((JsonObject) o).getString("level")));
        return out;
    }

    static Res move(String id, String state) {
        return http.postJson("/api/v1/campaigns/" + id + "/state", new JsonObject().put("state", state)
            .put("reason", "test"));
    }

    @Test
    void yamlDefinitionAndDeletingADraft() {
        String yaml = "id: yaml-one\nname: From YAML\nregion: UA\nattempts:\n  totalCap: 3\n"
            + "  rules:\n    - {outcome: BUSY, retryAfter: 5m, maxRetries: 1}\n";
        Res created = http.post("/api/v1/campaigns", yaml, "application/yaml");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().getJsonObject("definition").getJsonObject("attempts").getInteger("totalCap"))
            .isEqualTo(3);
        assertThat(http.delete("/api/v1/campaigns/yaml-one").status()).isEqualTo(204);
        assertThat(http.get("/api/v1/campaigns/yaml-one").status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/campaigns/yaml-one").status()).isEqualTo(404);
    }

    @Test
    void badDefinitionsAre400NamingTheField() {
        assertField(http.postJson("/api/v1/campaigns", definition("bad1").put("limts", new JsonObject())), "limts");
        assertField(http.postJson("/api/v1/campaigns", definition("bad2").put("timeZone", "Mars/Base")), "timeZone");
        assertField(http.postJson("/api/v1/campaigns", definition("bad3").put("weight", 0)), "weight");
        assertField(http.postJson("/api/v1/campaigns", definition("bad4").put("attempts", new JsonObject()
            .put("rules", new JsonArray().add(new JsonObject().put("outcome", "SLEEPY"))))), "attempts.rules");
        assertField(http.postJson("/api/v1/campaigns", definition("bad5").put("contacts", "/etc/passwd")),
            "contacts");
        assertField(http.postJson("/api/v1/campaigns", new JsonObject().put("name", "no id")), "id");
        assertField(http.postJson("/api/v1/campaigns", definition("bad id!")), "id");
        assertField(http.post("/api/v1/campaigns", "{\"id\": ", "application/json"), "body");
        assertField(http.post("/api/v1/campaigns", "", "application/json"), "body");
        assertField(http.put("/api/v1/campaigns/other", definition("bad6").encode(), "application/json"), "id");
        assertThat(http.get("/api/v1/campaigns?state=DRAFT&limit=1000").json().getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("id"))).noneMatch(id -> id.startsWith("bad"));
    }

    static void assertField(Res r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().getString("field")).as(r.body()).isEqualTo(field);
        assertThat(r.json().getString("message")).isNotBlank();
    }

    @Test
    void listsArePagedWithATotalAndFilteredByState() {
        long before = http.get("/api/v1/campaigns?state=DRAFT").json().getLong("total");
        for (int i = 1; i <= 5; i++) {
            assertThat(http.postJson("/api/v1/campaigns", definition("page-" + i)).status()).isEqualTo(201);
        }
        JsonObject page = http.get("/api/v1/campaigns?state=draft&limit=2&offset=1").json();
        assertThat(page.getLong("total")).isEqualTo(before + 5);
        assertThat(page.getInteger("limit")).isEqualTo(2);
        assertThat(page.getInteger("offset")).isEqualTo(1);
        assertThat(page.getJsonArray("items")).hasSize(2);
        JsonObject past = http.get("/api/v1/campaigns?state=DRAFT&offset=1000").json();
        assertThat(past.getJsonArray("items")).isEmpty();
        assertThat(past.getLong("total")).isEqualTo(before + 5);
        List<String> all = new ArrayList<>();
        for (int offset = 0; offset < before + 5; offset += 2) {
            http.get("/api/v1/campaigns?state=DRAFT&limit=2&offset=" + offset).json().getJsonArray("items")
                .forEach(o -> all.add(((JsonObject) o).getString("id")));
        }
        assertThat(all).doesNotHaveDuplicates().contains("page-1", "page-2", "page-3", "page-4", "page-5");
        assertThat(http.get("/api/v1/campaigns?limit=0").json().getString("field")).isEqualTo("limit");
        assertThat(http.get("/api/v1/campaigns?offset=-1").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/campaigns?state=NAPPING").json().getString("field")).isEqualTo("state");
    }

    @Test
    void openApiDocumentCoversEveryRouteUnderApiV1() {
        Res doc = http.get("/api/v1/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        JsonObject openApi = doc.json();
        assertThat(openApi.getString("openapi")).startsWith("3.0");
        JsonObject paths = openApi.getJsonObject("paths");
        List<String> registered = api.registeredRoutes();
        assertThat(registered).contains("GET /api/v1/campaigns/{id}", "POST /api/v1/flows/validate",
            "POST /api/v1/prompts/{id}");
        List<String> documented = new ArrayList<>();
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertThat(documented).as("every route under /api/v1 is documented").containsAll(registered);
        assertThat(registered).as("and the document lists no route that does not exist")
            .containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void telephonyOfANodeWithoutAsteriskIsEmptyAndCannotReconnect() {
        Res t = http.get("/api/v1/telephony");
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        assertThat(t.json().getBoolean("accepting")).isFalse();
        assertThat(t.json().getJsonArray("servers")).isEmpty();
        Res reconnect = http.post("/api/v1/telephony/servers/ast1/reconnect", "", "application/json");
        assertThat(reconnect.status()).isEqualTo(503);
        assertThat(reconnect.json().getString("error")).isEqualTo("no_telephony");
    }
}

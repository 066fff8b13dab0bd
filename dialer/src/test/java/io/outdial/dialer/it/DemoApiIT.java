package io.outdial.dialer.it;

import io.outdial.dialer.demo.DemoSetup;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API of the demo node (wired by DemoSetup) while its campaign dials through the sandbox PBX: the campaign shows
 * its runner's live stats and the runner's own reason for not dialing, the same reason /ready gives; pausing through
 * the API is reflected at once; after the first round its contacts are listed page by page with each one's
 * attempts, and the results CSV has a row per contact.
 */
class DemoApiIT {
    @TempDir
    Path dataDir;
    private DialerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            Await.result(app.stop());
        }
    }

    @Test
    void runningCampaignShowsTheRunnersStatsAndReasonThenItsContactsAndResults() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start());
        ApiTestClient http = ApiTestClient.admin(app);

        JsonObject first = http.get("/api/v1/campaigns/demo").json();
        assertThat(first.getString("state")).isEqualTo("RUNNING");
        assertThat(first.getJsonObject("runner")).as("dialed by this node's runner").isNotNull();
        assertThat(first.getJsonObject("counters").getLong("total")).isEqualTo(20);

        // after the first round every open contact waits for a retry (1-2 minutes): the runner says until when
        JsonObject[] seen = new JsonObject[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            seen[0] = http.get("/api/v1/campaigns/demo").json();
            JsonObject why = seen[0].getJsonObject("whyNotDialing");
            return why != null && why.getString("code").equals("no_due_contacts") && why.getString("until") != null;
        });
        assertThat(seen[0].getBoolean("dialing")).isFalse();
        assertThat(seen[0].getJsonObject("runner").getInteger("attemptsEnded")).isPositive();
        assertThat(seen[0].getJsonObject("runner").getInteger("liveCalls")).isZero();
        String ready = new JsonObject(Http.get(app.httpPort(), "/ready").body()).getJsonArray("dependencies")
            .stream().map(o -> (JsonObject) o).filter(d -> d.getString("name").equals("campaign:demo"))
            .findFirst().orElseThrow().getString("detail");
        assertThat(ready).contains("no_due_contacts");

        JsonObject paused = http.postJson("/api/v1/campaigns/demo/state", new JsonObject().put("state", "PAUSED"))
            .json();
        assertThat(paused.getString("state")).isEqualTo("PAUSED");
        assertThat(paused.getJsonObject("whyNotDialing").getString("code")).isEqualTo("paused");
        assertThat(http.get("/api/v1/campaigns?state=PAUSED").json().getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("id")).toList()).isEqualTo(List.of("demo"));
        contactsAndResults(http);
    }

    @Test
    void preflightPassesForTheDemoCampaignAndStopsACampaignWithAMissingFlow() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        DemoSetup.install(app);
        Await.result(app.start());
        ApiTestClient http = ApiTestClient.admin(app);

        JsonObject demo = http.get("/api/v1/campaigns/demo/preflight").json();
        assertThat(demo.getBoolean("ok")).as(demo.encodePrettily()).isTrue();
        assertThat(CampaignApiIT.levels(demo)).containsEntry("definition", "ok").containsEntry("flow", "ok")
            .containsEntry("telephony", "ok").containsEntry("trunk", "ok").containsEntry("calendar", "ok");

        JsonObject def = new JsonObject().put("id", "nofl").put("flowId", "does-not-exist")
            .put("trunk", new JsonObject().put("name", DemoSetup.DEMO_TRUNK));
        assertThat(http.postJson("/api/v1/campaigns", def).status()).isEqualTo(201);
        JsonObject pre = http.get("/api/v1/campaigns/nofl/preflight").json();
        assertThat(CampaignApiIT.levels(pre)).containsEntry("flow", "error").containsEntry("contacts", "error")
            .containsEntry("trunk", "ok").containsEntry("telephony", "ok");
        assertThat(pre.getJsonArray("checks").stream().map(o -> (JsonObject) o)
            .filter(c -> c.getString("check").equals("flow")).findFirst().orElseThrow().getString("message"))
            .contains("does-not-exist").contains("does not exist");
        ApiTestClient.Res start = http.postJson("/api/v1/campaigns/nofl/state", new JsonObject().put("state",
            "RUNNING"));
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.json().getString("error")).isEqualTo("preflight_failed");
        assertThat(http.get("/api/v1/campaigns/nofl").json().getString("state")).isEqualTo("DRAFT");
        assertThat(http.get("/api/v1/campaigns/nothing/preflight").status()).isEqualTo(404);
    }

    /** Number search: a dialed contact found by its number in E.164 and in national form, its stop-list entries. */
    private static void numberSearch(ApiTestClient http, JsonObject dialed) {
        String phone = dialed.getString("phone");
        JsonObject found = http.get("/api/v1/contacts?phone=" + phone.replace("+", "%2B")).json();
        assertThat(found.getString("phone")).isEqualTo(phone);
        assertThat(found.getJsonArray("items")).as(found.encodePrettily()).anySatisfy(o -> {
            JsonObject c = (JsonObject) o;
            assertThat(c.getString("campaignId")).isEqualTo("demo");
            assertThat(c.getLong("id")).isEqualTo(dialed.getLong("id"));
            assertThat(c.getInteger("attempts")).isEqualTo(dialed.getInteger("attempts"));
        });
        assertThat(found.getJsonArray("stopList")).isEmpty();
        assertThat(http.put("/api/v1/stop-list/global/" + phone.replace("+", "%2B"), "{\"reason\": \"asked\"}",
            "application/json").status()).isEqualTo(201);
        JsonObject listed = http.get("/api/v1/contacts?phone=" + phone.replace("+", "%2B")).json();
        assertThat(listed.getJsonArray("stopList")).hasSize(1);
        assertThat(listed.getJsonArray("stopList").getJsonObject(0).getString("scope")).isEqualTo("global");
        assertThat(listed.getJsonArray("stopList").getJsonObject(0).getString("reason")).isEqualTo("asked");
        assertThat(http.delete("/api/v1/stop-list/global/" + phone.replace("+", "%2B")).status()).isBetween(200, 204);
        com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        try {
            com.google.i18n.phonenumbers.Phonenumber.PhoneNumber n = util.parse(phone, null);
            String national = util.format(n, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.NATIONAL);
            String region = util.getRegionCodeForNumber(n);
            JsonObject byNational = http.get("/api/v1/contacts?phone=" + java.net.URLEncoder.encode(national,
                java.nio.charset.StandardCharsets.UTF_8) + "&region=" + region.toLowerCase(java.util.Locale.ROOT)).json();
            assertThat(byNational.getString("phone")).as(byNational.encodePrettily()).isEqualTo(phone);
            assertThat(byNational.getJsonArray("items")).isNotEmpty();
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            throw new AssertionError(e);
        }
        JsonObject none = http.get("/api/v1/contacts?phone=%2B12025550199").json();
        assertThat(none.getJsonArray("items")).isEmpty();
        assertThat(http.get("/api/v1/contacts?phone=12").json().getString("field")).isEqualTo("phone");
        assertThat(http.get("/api/v1/contacts").json().getString("field")).isEqualTo("phone");
        assertThat(http.get("/api/v1/contacts?phone=%2B12025550199&region=XX").json().getString("field"))
            .isEqualTo("region");
    }

    /** After the demo's first round (paused): its contacts page by page, one contact's attempts, results.csv. */
    private static void contactsAndResults(ApiTestClient http) {
        List<JsonObject> all = new ArrayList<>();
        String next = "/api/v1/campaigns/demo/contacts?limit=7";
        for (int page = 0; page < 5 && next != null; page++) {
            ApiTestClient.Res res = http.get(next);
            assertThat(res.status()).as(res.body()).isEqualTo(200);
            res.json().getJsonArray("items").forEach(o -> all.add((JsonObject) o));
            next = res.json().getString("nextPage");
        }
        assertThat(next).as("the last page has no next").isNull();
        assertThat(all).hasSize(20);
        assertThat(all.stream().map(c -> c.getLong("id")).toList()).isSorted().doesNotHaveDuplicates();
        JsonObject counters = http.get("/api/v1/campaigns/demo").json().getJsonObject("counters");
        long closed = http.get("/api/v1/campaigns/demo/contacts?state=closed&limit=1000").json()
            .getJsonArray("items").size();
        assertThat(closed).isEqualTo(all.stream().filter(c -> c.getString("state").equals("CLOSED")).count());
        assertThat(counters.getLong("total")).isEqualTo(all.size());

        List<JsonObject> tried = all.stream().filter(c -> c.getInteger("attempts") > 0).toList();
        assertThat(tried).as("the first round dialed contacts").isNotEmpty();
        int flows = 0;
        for (JsonObject c : tried) {
            JsonObject one = http.get("/api/v1/campaigns/demo/contacts/" + c.getLong("id")).json();
            assertThat(one.getString("phone")).isEqualTo(c.getString("phone"));
            assertThat(one.getJsonArray("attemptHistory")).as(one.encodePrettily()).hasSize(c.getInteger("attempts"));
            JsonObject last = one.getJsonArray("attemptHistory").getJsonObject(c.getInteger("attempts") - 1);
            assertThat(last.getString("state")).isEqualTo("ENDED");
            assertThat(last.getString("outcome")).isNotBlank();
            assertThat(last.getString("phone")).isEqualTo(c.getString("phone"));
            JsonObject flow = last.getJsonObject("flow");
            if (flow != null) {
                flows++;
                assertThat(flow.getString("flowId")).isNotBlank();
                assertThat(flow.getJsonArray("path")).isNotEmpty();
            }
        }
        assertThat(flows).as("answered contacts ran the demo flow").isPositive();
        numberSearch(http, tried.get(0));

        ApiTestClient.Res csv = http.get("/api/v1/campaigns/demo/results.csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("id,phone,state,outcome,attempts,last_outcome,last_attempt_at,goal");
        assertThat(lines).hasSize(21);
        for (JsonObject c : all) {
            assertThat(lines).anyMatch(l -> l.contains("," + c.getString("phone") + "," + c.getString("state")));
        }

        assertThat(http.get("/api/v1/campaigns/demo/contacts?state=sleeping").json().getString("field"))
            .isEqualTo("state");
        assertThat(http.get("/api/v1/campaigns/demo/contacts?after=-1").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/campaigns/demo/contacts/abc").status()).isEqualTo(400);
        assertThat(http.get("/api/v1/campaigns/demo/contacts/999999999").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/campaigns/nothing/contacts").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/campaigns/nothing/results.csv").status()).isEqualTo(404);
    }
}

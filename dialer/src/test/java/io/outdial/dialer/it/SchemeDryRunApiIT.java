package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.support.TestAuth;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.SchemeTemplates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/schemes/dry-run} on a node: designers get one path per behaviour with texts and costs under
 * the node's prices; viewers and supervisors are refused; bad bodies, invalid schemes and unknown behaviour words
 * are 400 naming what is wrong; nothing is stored.
 */
@Timeout(180)
class SchemeDryRunApiIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static final Map<Role, ApiTestClient> AS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        Wiring.cascade(app, List.of(), System::getenv, List.of(), new PricePlan(Map.of(ChannelType.SMS, 5L), false));
        Wiring.ivr(app);
        var runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        app.start().toCompletionStage().toCompletableFuture().join();
        for (Role r : Role.values()) {
            AS.put(r, new ApiTestClient(app.httpPort(), TestAuth.token(app, r)));
        }
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    private static JsonObject body(JsonArray behaviours) {
        return new JsonObject().put("document", SchemeTemplates.text("voice-sms")).put("format", "YAML")
            .put("contact", new JsonObject().put("name", "Anna")).put("behaviours", behaviours);
    }

    private static Res dryRun(Role role, JsonObject body) {
        return AS.get(role).postJson("/api/v1/schemes/dry-run", body);
    }

    @Test
    void designersGetOnePathPerBehaviourAndNothingIsStored() {
        JsonArray behaviours = new JsonArray()
            .add(new JsonObject().put("name", "answers").put("voice", "ANSWERED"))
            .add(new JsonObject().put("name", "busy").put("voice", "BUSY").put("sms", "DELIVERED"))
            .add(new JsonObject().put("name", "unreachable").put("voice", "NO_ANSWER").put("sms", "UNDELIVERED"));
        Res res = dryRun(Role.DESIGNER, body(behaviours));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        JsonArray paths = res.json().getJsonArray("paths");
        assertThat(paths).hasSize(3);
        assertThat(paths.getJsonObject(0).getJsonArray("steps")).hasSize(2);
        assertThat(paths.getJsonObject(0).getLong("totalCost")).isZero();
        JsonObject sms = paths.getJsonObject(1).getJsonArray("steps").getJsonObject(1);
        assertThat(sms.getString("block")).isEqualTo("sms");
        assertThat(sms.getString("wait")).isEqualTo("PT24H");
        assertThat(sms.getJsonObject("message").getString("text")).startsWith("Anna, we could not reach you");
        assertThat(sms.getJsonObject("message").getString("encoding")).isEqualTo("GSM7");
        assertThat(sms.getJsonObject("message").getLong("cost")).isEqualTo(5);
        assertThat(paths.getJsonObject(1).getLong("totalCost")).isEqualTo(5);
        assertThat(res.json().getJsonObject("prices").getLong("sms")).isEqualTo(5);
        assertThat(res.json().getJsonArray("estimates").getJsonObject(1).getInteger("segments")).isEqualTo(1);

        // a what-if plan that refunds undelivered messages
        Res refund = dryRun(Role.ADMIN, body(behaviours).put("prices", new JsonObject().put("sms", 5)
            .put("payForDelivered", true)));
        assertThat(refund.status()).as(refund.body()).isEqualTo(200);
        JsonObject unreachable = refund.json().getJsonArray("paths").getJsonObject(2);
        assertThat(unreachable.getJsonArray("steps").getJsonObject(1).getJsonObject("message").getLong("refund"))
            .isEqualTo(5);
        assertThat(unreachable.getLong("totalCost")).isZero();

        assertThat(AS.get(Role.ADMIN).get("/api/v1/schemes").json().getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("schemeId"))).doesNotContain("voice-sms");
    }

    @Test
    void aStoredSchemeIsTriedByIdAndVersion() {
        Res saved = AS.get(Role.DESIGNER).put("/api/v1/schemes/sms-voice", SchemeTemplates.text("sms-voice"),
            "application/yaml");
        assertThat(saved.status()).as(saved.body()).isIn(200, 201);
        // the editor reads a YAML version as JSON
        JsonObject stored = AS.get(Role.VIEWER).get("/api/v1/schemes/sms-voice/versions/1").json();
        assertThat(stored.getJsonObject("json").getJsonObject("blocks").getJsonObject("sms").getString("type"))
            .isEqualTo("sms");
        Res res = dryRun(Role.DESIGNER, new JsonObject().put("schemeId", "sms-voice").put("version", 1)
            .put("behaviours", new JsonArray().add(new JsonObject().put("name", "replies yes").put("reply", "yes"))));
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        JsonObject p = res.json().getJsonArray("paths").getJsonObject(0);
        assertThat(p.getString("outcome")).isEqualTo("goal");
        assertThat(p.getJsonArray("goals")).containsExactly("confirmed");
        Res missing = dryRun(Role.DESIGNER, new JsonObject().put("schemeId", "sms-voice").put("version", 9)
            .put("behaviours", new JsonArray().add(new JsonObject().put("name", "x"))));
        assertThat(missing.status()).as(missing.body()).isEqualTo(404);
    }

    @Test
    void viewersAndSupervisorsAreRefused() {
        JsonObject b = body(new JsonArray().add(new JsonObject().put("name", "x")));
        assertThat(dryRun(Role.VIEWER, b).status()).isEqualTo(403);
        assertThat(dryRun(Role.SUPERVISOR, b).status()).isEqualTo(403);
        assertThat(new ApiTestClient(app.httpPort()).postJson("/api/v1/schemes/dry-run", b).status()).isEqualTo(401);
    }

    @Test
    void badInputIs400NamingWhatIsWrong() {
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 51; i++) {
            tooMany.add(new JsonObject().put("name", "b" + i));
        }
        assertBad(body(tooMany), "1..50 behaviours");
        assertBad(body(new JsonArray()), "1..50 behaviours");
        assertBad(body(new JsonArray().add(new JsonObject().put("name", "x").put("sms", "ANSWERED"))),
            "behaviours[0]: sms outcome \"ANSWERED\" is unknown");
        assertBad(body(new JsonArray().add(new JsonObject().put("name", "x").put("colour", "red"))), "unknown key");
        assertBad(body(new JsonArray().add("x")), "behaviours[0] is not an object");
        assertBad(new JsonObject().put("behaviours", new JsonArray().add(new JsonObject().put("name", "x"))),
            "exactly one of scheme");
        assertBad(new JsonObject().put("scheme", new JsonObject().put("id", "s").put("version", 1)
            .put("start", "nowhere").put("blocks", new JsonObject().put("done", new JsonObject().put("type", "end"))))
            .put("behaviours", new JsonArray().add(new JsonObject().put("name", "x"))), "not valid");
        assertBad(body(new JsonArray().add(new JsonObject().put("name", "x"))).put("prices",
            new JsonObject().put("fax", 3)), "prices.fax");
        Res notJson = AS.get(Role.DESIGNER).post("/api/v1/schemes/dry-run", "[1,2", "application/json");
        assertThat(notJson.status()).as(notJson.body()).isEqualTo(400);
    }

    private static void assertBad(JsonObject body, String says) {
        Res res = dryRun(Role.DESIGNER, body);
        assertThat(res.status()).as(res.body()).isEqualTo(400);
        assertThat(res.json().getString("message")).contains(says);
    }
}

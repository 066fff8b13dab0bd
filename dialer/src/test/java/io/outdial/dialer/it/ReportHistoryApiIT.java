package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.TestAuth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's history ({@code /campaigns/{id}/report/timeline} and {@code /distributions}) through the API of a
 * whole node over HTTP on loopback: call records written by the node's own {@link CallRecordWriter} with known end
 * times, outcomes and talk times, checked bucket by bucket; run on H2 ({@link ReportHistoryApiH2IT}) and
 * PostgreSQL ({@link ReportHistoryApiPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
abstract class ReportHistoryApiIT {
    private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");
    private static final String BASE = "/api/v1/campaigns/rep/report";
    @TempDir
    static Path dataDir;
    DialerApp app;
    ApiTestClient http;

    /** The node configuration (database) of the subclass. */
    abstract DialerConfig config(Path dir);

    @BeforeAll
    void start() throws Exception {
        app = DialerApp.create(config(dataDir));
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        app.start().toCompletionStage().toCompletableFuture().join();
        http = ApiTestClient.admin(app);
        for (String id : List.of("rep", "other")) {
            Res r = http.postJson("/api/v1/campaigns", CampaignApiIT.definition(id));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        }
        String csv = "id,phone\nk1,0501111111\nk2,0502222222\nk3,0503333333\nk4,0504444444\n";
        Res imp = http.postBytes("/api/v1/campaigns/rep/imports?name=c.csv", csv.getBytes(StandardCharsets.UTF_8),
            "text/csv");
        assertThat(imp.status()).as(imp.body()).isEqualTo(202);
        String importPath = "/api/v1/imports/" + imp.json().getLong("importId");
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
            .until(() -> http.get(importPath).json().getString("state").equals("COMPLETED"));
        // the contact store counts attempts as the runner makes them; here the counts are set directly
        try (Connection c = app.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE contact SET attempts = ? WHERE campaign_id = 'rep'"
                 + " AND ext_id = ?")) {
            for (Map.Entry<String, Integer> e : Map.of("k1", 0, "k2", 1, "k3", 1, "k4", 3).entrySet()) {
                s.setInt(1, e.getValue());
                s.setString(2, e.getKey());
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }
        CallRecordWriter writer = new CallRecordWriter(app.database());
        List<Future<Void>> saved = new ArrayList<>();
        saved.add(writer.save(ended("a1", "rep", OutcomeKind.ANSWERED, "10:00:10", "10:00:40")));   // talk 30 s
        saved.add(writer.save(ended("a2", "rep", OutcomeKind.ANSWERED, "10:00:20", "10:00:30")));   // talk 10 s
        saved.add(writer.save(ended("a3", "rep", OutcomeKind.BUSY, null, "10:00:50")));
        saved.add(writer.save(ended("a4", "rep", OutcomeKind.NO_ANSWER, null, "10:02:05")));
        saved.add(writer.save(ended("a5", "rep", OutcomeKind.ANSWERED, "10:02:00", "10:09:00")));   // talk 420 s
        saved.add(writer.save(ended("a6", "rep", OutcomeKind.NOT_PLACED, null, "10:03:00")));      // no attempt
        saved.add(writer.save(ended("a7", "rep", OutcomeKind.ANSWERED, "10:10:20", "10:12:00")));   // talk 100 s
        saved.add(writer.save(ended("a8", "other", OutcomeKind.ANSWERED, "10:00:00", "10:01:00")));
        saved.add(writer.save(new CallRecord("a9", "rep", "4", "+380504444444", "t1", null, "pbx", "ch-a9",
            CallState.ANSWERED, T, null, T.plusSeconds(5), null, null, null, null, "", List.of())));
        Future.all(saved).toCompletionStage().toCompletableFuture().join();
    }

    private static CallRecord ended(String id, String campaign, OutcomeKind kind, String answer, String end) {
        Instant endAt = Instant.parse("2026-01-05T" + end + "Z");
        Instant answerAt = answer == null ? null : Instant.parse("2026-01-05T" + answer + "Z");
        return new CallRecord(id, campaign, "1", "+380501111111", "t1", null, "pbx", "ch-" + id, CallState.ENDED,
            endAt.minusSeconds(600), null, answerAt, endAt, CallOutcome.of(kind, 16, kind.name()), null, null, "",
            List.of());
    }

    @AfterAll
    void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    private JsonObject ok(String path) {
        Res r = http.get(path);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void attemptsPerMinuteByOutcomeWithAnswerRateAndTalkTime() {
        JsonObject t = ok(BASE + "/timeline?from=2026-01-05T10:00:00Z&to=2026-01-05T10:10:00Z&bucket=1m");
        assertThat(t.getString("bucket")).isEqualTo("1m");
        assertThat(t.getLong("bucketSeconds")).isEqualTo(60);
        assertThat(t.getString("from")).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(t.getString("to")).isEqualTo("2026-01-05T10:10:00Z");
        assertThat(t.getJsonArray("outcomes").getList()).containsExactly("ANSWERED", "BUSY", "NO_ANSWER");
        JsonArray b = t.getJsonArray("buckets");
        assertThat(b.size()).isEqualTo(10);
        JsonObject first = b.getJsonObject(0);
        assertThat(first.getString("start")).isEqualTo("2026-01-05T10:00:00Z");
        assertThat(first.getString("end")).isEqualTo("2026-01-05T10:01:00Z");
        assertThat(first.getLong("attempts")).isEqualTo(3);
        assertThat(first.getJsonObject("outcomes").getMap()).isEqualTo(Map.of("ANSWERED", 2, "BUSY", 1));
        assertThat(first.getLong("answered")).isEqualTo(2);
        assertThat(first.getDouble("answerRate")).isEqualTo(2.0 / 3);
        assertThat(first.getDouble("talkSeconds")).isEqualTo(40.0);
        assertThat(first.getDouble("talkP50")).isEqualTo(10.0);
        assertThat(first.getDouble("talkP90")).isEqualTo(30.0);
        JsonObject empty = b.getJsonObject(1);
        assertThat(empty.getLong("attempts")).isZero();
        assertThat(empty.getValue("answerRate")).isNull();
        assertThat(empty.getValue("talkP50")).isNull();
        JsonObject third = b.getJsonObject(2);
        assertThat(third.getJsonObject("outcomes").getMap()).as("NOT_PLACED is no attempt")
            .isEqualTo(Map.of("NO_ANSWER", 1));
        assertThat(third.getDouble("answerRate")).isEqualTo(0.0);
        assertThat(b.getJsonObject(3).getLong("attempts")).isZero();
        JsonObject last = b.getJsonObject(9);
        assertThat(last.getJsonObject("outcomes").getMap()).isEqualTo(Map.of("ANSWERED", 1));
        assertThat(last.getDouble("talkSeconds")).isEqualTo(420.0);
        assertThat(last.getDouble("talkP50")).isEqualTo(420.0);
        JsonObject totals = t.getJsonObject("totals");
        assertThat(totals.getLong("attempts")).isEqualTo(5);
        assertThat(totals.getLong("answered")).isEqualTo(3);
        assertThat(totals.getDouble("answerRate")).isEqualTo(0.6);
        assertThat(totals.getDouble("talkSeconds")).isEqualTo(460.0);
        assertThat(totals.getDouble("talkP50")).isEqualTo(30.0);
        assertThat(totals.getDouble("talkP90")).isEqualTo(420.0);

        JsonObject wide = ok(BASE + "/timeline?from=2026-01-05T10:00:00Z&to=2026-01-05T10:15:00Z&bucket=5m");
        assertThat(wide.getJsonArray("buckets").stream().map(o -> ((JsonObject) o).getLong("attempts")).toList())
            .containsExactly(4L, 1L, 1L);
        JsonObject aligned = ok(BASE + "/timeline?from=2026-01-05T10:00:30Z&to=2026-01-05T10:01:30Z&bucket=1m");
        assertThat(aligned.getString("from")).as("rounded to the bucket").isEqualTo("2026-01-05T10:00:00Z");
        assertThat(aligned.getString("to")).isEqualTo("2026-01-05T10:02:00Z");
        assertThat(aligned.getJsonArray("buckets").getJsonObject(0).getLong("attempts")).isEqualTo(3);
    }

    @Test
    void theBucketIsChosenFromTheRangeAndTheRangeDefaultsToTheWholeCampaign() {
        assertThat(ok(BASE + "/timeline?from=2026-01-05T00:00:00Z&to=2026-01-05T01:00:00Z").getString("bucket"))
            .isEqualTo("1m");
        JsonObject day = ok(BASE + "/timeline?from=2026-01-05T00:00:00Z&to=2026-01-06T00:00:00Z");
        assertThat(day.getString("bucket")).isEqualTo("5m");
        assertThat(day.getJsonArray("buckets").size()).isEqualTo(288);
        assertThat(day.getJsonObject("totals").getLong("attempts")).isEqualTo(6);
        assertThat(ok(BASE + "/timeline?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z").getString("bucket"))
            .isEqualTo("1h");
        assertThat(ok(BASE + "/timeline?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z").getString("bucket"))
            .isEqualTo("1d");
        JsonObject whole = ok(BASE + "/timeline?to=2026-01-05T10:10:00Z");
        assertThat(whole.getString("from")).as("the first attempt's end, rounded").isEqualTo("2026-01-05T10:00:00Z");
        assertThat(whole.getString("bucket")).isEqualTo("1m");
        assertThat(whole.getJsonObject("totals").getLong("attempts")).isEqualTo(5);
    }

    @Test
    void distributionsOfAttemptsPerContactAndTalkTime() {
        JsonObject d = ok(BASE + "/distributions");
        assertThat(d.getJsonArray("attemptsPerContact")).isEqualTo(new JsonArray()
            .add(new JsonObject().put("attempts", 0).put("contacts", 1))
            .add(new JsonObject().put("attempts", 1).put("contacts", 2))
            .add(new JsonObject().put("attempts", 3).put("contacts", 1)));
        assertThat(d.getJsonArray("talkTime").stream().map(o -> ((JsonObject) o).getString("label") + "="
            + ((JsonObject) o).getLong("calls")).toList())
            .containsExactly("<10s=0", "10-30s=1", "30-60s=1", "1-2min=1", "2-5min=0", ">5min=1");
        assertThat(d.getLong("answered")).isEqualTo(4);
        assertThat(d.getDouble("talkSeconds")).isEqualTo(560.0);
        JsonObject none = ok("/api/v1/campaigns/other/report/distributions");
        assertThat(none.getJsonArray("attemptsPerContact")).isEmpty();
        assertThat(none.getLong("answered")).isEqualTo(1);
    }

    @Test
    void badParametersAre400AndAnUnknownCampaign404() {
        assertBad(BASE + "/timeline?from=yesterday", "from");
        assertBad(BASE + "/timeline?from=2026-01-05T10:00:00Z&to=2026-01-05T09:00:00Z", "from");
        assertBad(BASE + "/timeline?from=2026-01-05T10:00:00Z&to=2026-01-05T10:00:00Z", "from");
        assertBad(BASE + "/timeline?to=2026-13-05T10:00:00Z", "to");
        assertBad(BASE + "/timeline?bucket=2m", "bucket");
        assertBad(BASE + "/timeline?from=%2B100000000-01-01T00:00:00Z", "from");
        assertBad(BASE + "/timeline?to=1969-12-31T23:59:59Z", "to");
        assertBad(BASE + "/timeline?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&bucket=1m", "bucket");
        assertBad(BASE + "/timeline?from=2024-01-01T00:00:00Z&to=2026-01-03T00:00:00Z", "from");
        assertThat(http.get("/api/v1/campaigns/nope/report/timeline").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/campaigns/nope/report/distributions").status()).isEqualTo(404);
    }

    private void assertBad(String path, String field) {
        Res r = http.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(400);
        assertThat(r.json().getString("field")).as(r.body()).isEqualTo(field);
    }

    @Test
    void aViewerReadsTheHistoryAndNoOneWithoutCredentials() {
        ApiTestClient viewer = http.withToken(TestAuth.token(app, Role.VIEWER));
        assertThat(viewer.get(BASE + "/timeline?from=2026-01-05T10:00:00Z&to=2026-01-05T10:10:00Z").status())
            .isEqualTo(200);
        assertThat(viewer.get(BASE + "/distributions").status()).isEqualTo(200);
        ApiTestClient anonymous = new ApiTestClient(http.port());
        assertThat(anonymous.get(BASE + "/timeline").status()).isEqualTo(401);
        assertThat(anonymous.get(BASE + "/distributions").status()).isEqualTo(401);
    }
}

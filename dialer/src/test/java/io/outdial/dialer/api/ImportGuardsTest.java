package io.outdial.dialer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.MutableClock;
import io.outdial.dialer.support.SqlCount;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An import and the delete of its draft campaign exclude each other; bad import mappings and stop-list rows are
 * 400s. Store checks on H2 and PostgreSQL, HTTP checks on H2.
 */
class ImportGuardsTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(T0);
    ApiTestServer server;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Supplier<DataSource>) MigratedDatabases::h2),
            Arguments.of("PostgreSQL", (Supplier<DataSource>) MigratedDatabases::postgres));
    }

    private void draft(DataSource ds, String id) {
        new JdbcCampaignStore(ds, clock).create(CampaignFile.parse(new ObjectMapper().createObjectNode()
            .put("id", id).put("region", "UA"), null, "test").draft(clock.instant()));
    }

    private static long count(DataSource ds, String sql) {
        return SqlCount.of(ds, sql);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anImportStartsOnlyForACampaignThatStillExists(String name, Supplier<DataSource> db) throws Exception {
        DataSource ds = db.get();
        ApiImportStore store = new ApiImportStore(ds, clock);
        draft(ds, "c1");
        OptionalLong id = store.create("c1", "a.csv", 10, "{\"phones\": [\"phone\"]}", "n1");
        assertThat(id).isPresent();
        assertThat(store.get(id.getAsLong()).orElseThrow().state()).isEqualTo("QUEUED");
        assertThat(store.create("gone", "b.csv", 10, null, "n1")).as("deleted meanwhile").isEmpty();
        assertThat(count(ds, "SELECT COUNT(*) FROM api_import WHERE campaign_id = 'gone'")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDraftIsNotDeletedWhileAnImportOfItIsQueuedOrRunning(String name, Supplier<DataSource> db) throws Exception {
        DataSource ds = db.get();
        ApiImportStore store = new ApiImportStore(ds, clock);
        draft(ds, "c1");
        long id = store.create("c1", "a.csv", 10, null, "n1").orElseThrow();
        Instant alive = clock.instant().minus(ApiImportStore.ABANDONED_AFTER);
        JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, clock);
        assertThat(campaigns.deleteDraft("c1", alive)).isEqualTo(JdbcCampaignStore.DraftDelete.IMPORT_ACTIVE);
        store.progress(id, "RUNNING", 10, 5, 0);
        assertThat(campaigns.deleteDraft("c1", alive)).isEqualTo(JdbcCampaignStore.DraftDelete.IMPORT_ACTIVE);
        assertThat(count(ds, "SELECT COUNT(*) FROM campaign WHERE id = 'c1'")).isEqualTo(1);
        // an import nobody touched for ABANDONED_AFTER belongs to a stopped node: it does not hold the delete
        clock.advance(ApiImportStore.ABANDONED_AFTER.plusSeconds(1));
        assertThat(campaigns.deleteDraft("c1", clock.instant().minus(ApiImportStore.ABANDONED_AFTER)))
            .isEqualTo(JdbcCampaignStore.DraftDelete.DELETED);
        assertThat(count(ds, "SELECT COUNT(*) FROM api_import")).isZero();
        assertThat(campaigns.deleteDraft("c1", alive)).isEqualTo(JdbcCampaignStore.DraftDelete.NOT_DRAFT);
    }

    private ApiTestClient serve(DataSource ds) {
        server = new ApiTestServer(ds, clock, dir.resolve("uploads"), 1_000_000);
        return server.http;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void deletingADraftWithARunningImportIs409() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        draft(ds, "c1");
        ApiImportStore store = new ApiImportStore(ds, clock);
        long id = store.create("c1", "a.csv", 10, null, "n1").orElseThrow();
        store.progress(id, "RUNNING", 10, 5, 0);
        ApiTestClient http = serve(ds);
        ApiTestClient.Res refused = http.delete("/api/v1/campaigns/c1");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("message")).contains("has an import queued or running");
        assertThat(count(ds, "SELECT COUNT(*) FROM campaign WHERE id = 'c1'")).isEqualTo(1);
        store.failed(id, "test");
        assertThat(http.delete("/api/v1/campaigns/c1").status()).isEqualTo(204);
    }

    @Test
    void aMappingWithAPhoneEntryWithoutAColumnIs400() {
        DataSource ds = MigratedDatabases.h2();
        draft(ds, "c1");
        ApiTestClient http = serve(ds);
        for (String mapping : List.of("{\"phones\":[1]}", "{\"phones\":[null]}", "{\"phones\":[{\"label\":\"m\"}]}")) {
            ApiTestClient.Res r = http.postBytes("/api/v1/campaigns/c1/imports?name=a.csv&mapping="
                + URLEncoder.encode(mapping, StandardCharsets.UTF_8), "phone\n+380501111111\n".getBytes(), "text/csv");
            assertThat(r.status()).as(mapping + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().getString("field")).isEqualTo("mapping");
        }
    }

    @Test
    void aStopListRowWithAReasonLongerThanTheColumnIs400NamingTheRow() {
        DataSource ds = MigratedDatabases.h2();
        ApiTestClient http = serve(ds);
        String csv = "phone,reason\n+380501111111,ok\n+380502222222," + "r".repeat(301) + "\n";
        ApiTestClient.Res r = http.postBytes("/api/v1/stop-list/global/import?name=stop.csv",
            csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().getString("field")).isEqualTo("file");
        assertThat(r.body()).contains("row 3: reason is 301 characters; at most 300");
    }
}

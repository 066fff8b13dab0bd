package io.outdial.dialer.it;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.dialing.CampaignRunners;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contact imports and stop-lists through the API of a whole node, over HTTP on loopback; run on H2
 * ({@link ImportStopListApiH2IT}) and PostgreSQL ({@link ImportStopListApiPostgresIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
abstract class ImportStopListApiIT {
    @TempDir
    static Path dataDir;
    DialerApp app;
    ApiTestClient http;

    /** The node configuration (database) of the subclass. */
    abstract DialerConfig config(Path dir);

    @BeforeAll
    void start() {
        app = DialerApp.create(config(dataDir));
        CampaignRunners runners = Wiring.campaignRunners(app);
        app.add(runners).add(Wiring.api(app, runners));
        app.start().toCompletionStage().toCompletableFuture().join();
        http = ApiTestClient.admin(app);
    }

    @AfterAll
    void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    void campaign(String id) {
        Res r = http.postJson("/api/v1/campaigns", CampaignApiIT.definition(id));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    long startImport(String campaign, String name, byte[] body) {
        Res r = http.postBytes("/api/v1/campaigns/" + campaign + "/imports?name=" + name, body, "text/csv");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().getString("state")).isEqualTo("QUEUED");
        return r.json().getLong("importId");
    }

    JsonObject awaitEnd(long importId) {
        JsonObject[] last = new JsonObject[1];
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = http.get("/api/v1/imports/" + importId).json();
            return last[0].getString("state").equals("COMPLETED") || last[0].getString("state").equals("FAILED");
        });
        return last[0];
    }

    JsonObject counters(String campaign) {
        return http.get("/api/v1/campaigns/" + campaign).json().getJsonObject("counters");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void importReportsRowsAndTheRejectedRowsDownloadAsCsv() {
        campaign("imp");
        assertThat(http.put("/api/v1/stop-list/imp/0503333333", "{\"reason\": \"asked\"}", "application/json")
            .status()).isEqualTo(201);
        String csv = "id,name,phone\n"
            + "1,Olena,050 111 11 11\n"
            + "2,Bad,+1 55\n"
            + "3,Dup,+380501111111\n"
            + "4,Blocked,0503333333\n"
            + "5,Ivan,0502222222\n";
        long id = startImport("imp", "contacts.csv", utf8(csv));
        JsonObject done = awaitEnd(id);
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("COMPLETED");
        assertThat(done.getString("source")).isEqualTo("contacts.csv");
        assertThat(done.getLong("rowsRead")).isEqualTo(5);
        assertThat(done.getLong("imported")).isEqualTo(3);
        assertThat(done.getLong("merged")).isEqualTo(1);
        assertThat(done.getLong("stopListed")).isEqualTo(1);
        assertThat(done.getLong("rejected")).isEqualTo(1);

        Res rejected = http.get(done.getString("rejectedCsv"));
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.contentType()).startsWith("text/csv");
        assertThat(rejected.body().lines().toList()).containsExactly("row,reason,id,name,phone",
            "3,\"contacts.csv row 3: phone \"\"+1 55\"\" is not a valid number\",2,Bad,+1 55");

        JsonObject counters = counters("imp");
        assertThat(counters.getLong("total")).isEqualTo(3);
        assertThat(counters.getLong("stopListed")).isEqualTo(1);
        assertThat(counters.getLong("availableNow") + counters.getLong("planned")).isEqualTo(2);

        JsonObject list = http.get("/api/v1/campaigns/imp/imports").json();
        assertThat(list.getLong("total")).isEqualTo(1);
        assertThat(list.getJsonArray("items").getJsonObject(0).getLong("importId")).isEqualTo(id);
        assertThat(http.get("/api/v1/imports/999999").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/imports/abc").json().getString("field")).isEqualTo("importId");
    }

    @Test
    void multipartUploadWithAColumnMapping() {
        campaign("multi");
        String csv = "customer,mobile,home\nc1,0501111111,0441111111\nc2,0502222222,\n";
        Res r = http.postMultipart("/api/v1/campaigns/multi/imports", "people.csv", utf8(csv),
            "mapping", "{\"phones\": [\"mobile\", \"home\"], \"id\": \"customer\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonObject done = awaitEnd(r.json().getLong("importId"));
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("COMPLETED");
        assertThat(done.getString("source")).isEqualTo("people.csv");
        assertThat(done.getLong("imported")).isEqualTo(2);

        Res badMapping = http.postBytes("/api/v1/campaigns/multi/imports?name=x.csv&mapping=%7B%22phones%22%3A5%7D",
            utf8(csv), "text/csv");
        assertThat(badMapping.status()).as(badMapping.body()).isEqualTo(400);
        assertThat(badMapping.json().getString("field")).isEqualTo("mapping");
        Res noCampaign = http.postBytes("/api/v1/campaigns/none/imports?name=x.csv", utf8(csv), "text/csv");
        assertThat(noCampaign.status()).isEqualTo(404);
        Res missingColumn = http.postMultipart("/api/v1/campaigns/multi/imports", "people.csv", utf8(csv),
            "mapping", "{\"phones\": [\"cell\"]}");
        JsonObject failed = awaitEnd(missingColumn.json().getLong("importId"));
        assertThat(failed.getString("state")).isEqualTo("FAILED");
        assertThat(failed.getString("error")).isEqualTo("people.csv has no column \"cell\"; columns are"
            + " [customer, mobile, home]");
    }

    @Test
    void progressIsVisibleWhileALargeFileImports() throws IOException {
        campaign("big");
        int rows = 200_000;
        Path file = dataDir.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("id,name,phone\n");
            for (int i = 0; i < rows; i++) {
                w.write(i + ",Name " + i + ",+38050" + (1_000_000 + i) + "\n");
            }
        }
        Res r = http.postFile("/api/v1/campaigns/big/imports?name=big.csv", file, "text/csv");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long id = r.json().getLong("importId");
        List<Long> intermediate = new CopyOnWriteArrayList<>();
        JsonObject[] last = new JsonObject[1];
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = http.get("/api/v1/imports/" + id).json();
            long read = last[0].getLong("rowsRead");
            if (last[0].getString("state").equals("RUNNING") && read > 0 && read < rows) {
                intermediate.add(read);
            }
            return !last[0].getString("state").equals("QUEUED") && !last[0].getString("state").equals("RUNNING");
        });
        assertThat(last[0].getString("state")).as(last[0].encode()).isEqualTo("COMPLETED");
        assertThat(last[0].getLong("rowsRead")).isEqualTo(rows);
        assertThat(last[0].getLong("imported")).isEqualTo(rows);
        assertThat(intermediate).as("at least one poll saw the import half way").isNotEmpty();
        assertThat(intermediate).isSorted();
        assertThat(counters("big").getLong("total")).isEqualTo(rows);
    }

    @Test
    void badFilesFailWithTheImportersMessageAndKeepNothing() throws IOException {
        campaign("badfiles");
        assertFailed("empty.csv", new byte[0], "empty.csv is empty");
        assertFailed("nophone.csv", utf8("name,city\nA,B\n"), "nophone.csv has no phone column; columns are"
            + " [name, city]");
        assertFailed("utf16.csv", "phone\n0501111111\n".getBytes(StandardCharsets.UTF_16), "UTF-16");
        StringBuilder longLine = new StringBuilder("phone,name\n");
        for (int i = 0; i < 2500; i++) {
            longLine.append("+38050").append(1_000_000 + i).append(",n").append(i).append('\n');
        }
        longLine.append("+380509999999,").append("x".repeat(10 * 1024 * 1024)).append('\n');
        assertFailed("long.csv", utf8(longLine.toString()), "long.csv line 2502 is longer than 100000 characters");
        assertFailed("formula.xlsx", xlsx(1, true), "formula");
        assertFailed("two.xlsx", xlsx(2, false), "two.xlsx has 2 sheets");
        assertThat(counters("badfiles").getLong("total")).as("nothing half written").isZero();
        JsonObject list = http.get("/api/v1/campaigns/badfiles/imports?limit=2").json();
        assertThat(list.getLong("total")).isEqualTo(6);
        assertThat(list.getJsonArray("items")).hasSize(2);
        long failedId = list.getJsonArray("items").getJsonObject(0).getLong("importId");
        Res rejected = http.get("/api/v1/imports/" + failedId + "/rejected.csv");
        assertThat(rejected.status()).isEqualTo(409);
        assertThat(rejected.json().getString("message")).contains("FAILED");
        long good = startImport("badfiles", "good.xlsx", xlsx(1, false));
        assertThat(awaitEnd(good).getLong("imported")).isEqualTo(2);
    }

    void assertFailed(String name, byte[] body, String message) {
        JsonObject done = awaitEnd(startImport("badfiles", name, body));
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("FAILED");
        assertThat(done.getString("error")).contains(message);
        assertThat(done.getLong("imported")).isZero();
    }

    byte[] xlsx(int sheets, boolean formula) throws IOException {
        return io.outdial.dialer.support.TestWorkbooks.contacts(sheets, formula);
    }

    @Test
    void stopListAddRemoveImportExportRoundTrip() {
        Res added = http.put("/api/v1/stop-list/global/+380671234567", "{\"reason\": \"complaint\"}",
            "application/json");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().getString("phone")).isEqualTo("+380671234567");
        assertThat(added.json().getString("source")).isEqualTo("manual");
        Res again = http.put("/api/v1/stop-list/global/+380671234567", "", "application/json");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("reason")).as("first entry kept").isEqualTo("complaint");
        assertThat(http.put("/api/v1/stop-list/global/12", "", "application/json").json().getString("field"))
            .isEqualTo("phone");
        assertThat(http.put("/api/v1/stop-list/nosuch/+380671234567", "", "application/json").status())
            .isEqualTo(404);

        Res imported = http.post("/api/v1/stop-list/global/import?name=dnc.csv",
            "phone,reason\n+380671111111,a\n+380672222222,b\n+380671234567,dup\n", "text/csv");
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(imported.json().getInteger("added")).isEqualTo(2);
        assertThat(imported.json().getLong("total")).isEqualTo(3);
        Res bad = http.post("/api/v1/stop-list/global/import?name=dnc2.csv", "+380673333333\nnot a phone 1\n",
            "text/csv");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("message")).contains("dnc2.csv row 2");
        JsonObject page = http.get("/api/v1/stop-list/global?limit=2&offset=0").json();
        assertThat(page.getLong("total")).as("the bad import added nothing").isEqualTo(3);
        assertThat(page.getJsonArray("items")).hasSize(2);
        assertThat(page.getJsonArray("items").getJsonObject(0).getString("phone")).isEqualTo("+380671111111");
        assertThat(http.get("/api/v1/stop-list/global?limit=2&offset=2").json().getJsonArray("items")).hasSize(1);

        Res export = http.get("/api/v1/stop-list/global/export.csv");
        assertThat(export.status()).isEqualTo(200);
        List<String> lines = export.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("phone,reason,source,added_at");
        assertThat(lines).hasSize(4).anyMatch(l -> l.startsWith("+380671234567,complaint,manual,"));

        assertThat(http.delete("/api/v1/stop-list/global/+380671234567").status()).isEqualTo(204);
        assertThat(http.delete("/api/v1/stop-list/global/+380671234567").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/stop-list/global/export.csv").body()).doesNotContain("+380671234567");

        campaign("scoped");
        assertThat(http.put("/api/v1/stop-list/scoped/0671234567", "", "application/json").json()
            .getString("phone")).as("national number in the campaign's region (UA)").isEqualTo("+380671234567");
        assertThat(http.get("/api/v1/stop-list/scoped").json().getLong("total")).isEqualTo(1);
        assertThat(http.get("/api/v1/stop-list/global").json().getLong("total")).isEqualTo(2);
    }
}

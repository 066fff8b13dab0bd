package io.outdial.dialer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.api.ApiTestClient;
import io.outdial.dialer.api.ApiTestClient.Res;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results exports as jobs through a whole node over HTTP on loopback: POST starts one, GET tells rows done out of
 * the total and the percentage until it is COMPLETED, then the file downloads with every contact row; the XLSX
 * workbook has the same rows as the CSV. The streamed {@code results.csv} still answers the same file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class ExportJobsApiIT {
    private static final int CONTACTS = 2500;
    private static final Duration KEEP = Duration.ofSeconds(30);
    @TempDir
    static Path dataDir;
    DialerApp app;
    ApiTestClient http;

    @BeforeAll
    void start() {
        app = DialerApp.create(TestConfigs.local(dataDir));
        CampaignRunners runners = Wiring.campaignRunners(app);
        // a finished export is kept 30 s here (an hour by default): long enough to download it, short enough to
        // see it go
        app.add(runners).add(Wiring.api(app, runners).withExportKeep(KEEP));
        app.start().toCompletionStage().toCompletableFuture().join();
        http = ApiTestClient.admin(app);
        Res r = http.postJson("/api/v1/campaigns", CampaignApiIT.definition("big"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String csv = "id,phone\n" + IntStream.range(0, CONTACTS)
            .mapToObj(i -> "k" + i + ",050" + String.format("%07d", 1_000_000 + i)).collect(Collectors.joining("\n"))
            + "\n";
        Res imp = http.postBytes("/api/v1/campaigns/big/imports?name=c.csv", csv.getBytes(StandardCharsets.UTF_8),
            "text/csv");
        assertThat(imp.status()).as(imp.body()).isEqualTo(202);
        String importPath = "/api/v1/imports/" + imp.json().getLong("importId");
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
            .until(() -> http.get(importPath).json().getString("state").equals("COMPLETED"));
        assertThat(http.get(importPath).json().getLong("imported")).isEqualTo(CONTACTS);
    }

    @AfterAll
    void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    private JsonObject finished(String format) {
        Res started = http.send("POST", "/api/v1/campaigns/big/exports?format=" + format, null, null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonObject job = started.json();
        assertThat(job.getString("state")).isEqualTo("RUNNING");
        assertThat(job.getLong("total")).as("the rows it will write").isEqualTo(CONTACTS);
        String status = started.headers().firstValue("Location").orElseThrow();
        assertThat(status).isEqualTo("/api/v1/exports/" + job.getString("exportId"));
        List<Integer> percents = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonObject now = http.get(status).json();
            percents.add(now.getInteger("percent"));
            return !now.getString("state").equals("RUNNING");
        });
        assertThat(percents).as("never goes back").isSorted();
        JsonObject done = http.get(status).json();
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("COMPLETED");
        assertThat(done.getLong("rowsDone")).isEqualTo(CONTACTS);
        assertThat(done.getLong("total")).isEqualTo(CONTACTS);
        assertThat(done.getInteger("percent")).isEqualTo(100);
        assertThat(done.getString("file")).isEqualTo(status + "/file");
        assertThat(done.getString("expiresAt")).isNotNull();
        return done;
    }

    private HttpResponse<byte[]> download(String path) throws Exception {
        // Java's client asks to upgrade to cleartext HTTP/2; the node answers in HTTP/1.1
        HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + http.port() + path)).header("Authorization", "Bearer " + http.token()).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(resp.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        return resp;
    }

    @Test
    void aCsvExportReportsItsProgressAndDownloadsEveryRow() throws Exception {
        JsonObject done = finished("csv");
        HttpResponse<byte[]> file = download(done.getString("file"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains("results-big.csv");
        String text = new String(file.body(), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(CONTACTS + 1);
        assertThat(lines.get(0)).startsWith("id,phone,state,outcome,attempts");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("k2499,"));
        Res streamed = http.get("/api/v1/campaigns/big/results.csv");
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.body()).as("the streamed download gives the same file").isEqualTo(text);
        assertThat(download(done.getString("file")).statusCode()).as("downloadable again until it expires")
            .isEqualTo(200);
    }

    @Test
    void anXlsxExportHasTheRowsOfTheCsv() throws Exception {
        JsonObject done = finished("xlsx");
        assertThat(done.getLong("workbookRows")).isEqualTo(CONTACTS);
        HttpResponse<byte[]> file = download(done.getString("file"));
        assertThat(file.statusCode()).isEqualTo(200);
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(file.body()))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertThat(rows).hasSize(CONTACTS + 1);
            assertThat(rows.get(0).getCellText(0)).isEqualTo("id");
            assertThat(rows.get(1).getCellText(2)).isEqualTo("WAITING");
        }
    }

    @Test
    void aFinishedExportAndItsFileAreGoneAfterTheKeepTime() throws Exception {
        JsonObject done = finished("csv");
        java.time.Instant finishedAt = java.time.Instant.parse(done.getString("finishedAt"));
        assertThat(java.time.Instant.parse(done.getString("expiresAt"))).isEqualTo(finishedAt.plus(KEEP));
        Path uploads = Path.of(app.config().database().dataDir(), "api-uploads");
        java.util.function.Supplier<Long> files = () -> {
            try (var list = java.nio.file.Files.list(uploads)) {
                return list.filter(p -> p.getFileName().toString().startsWith("export-")).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        assertThat(files.get()).as("the finished file waits in the work folder").isPositive();
        Awaitility.await().atMost(KEEP.plusSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> http.get(done.getString("status")).status() == 404);
        assertThat(download(done.getString("file")).statusCode()).isEqualTo(404);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> files.get() == 0L);
    }

    @Test
    void unknownExportsFormatsAndCampaignsAreRefused() {
        assertThat(http.get("/api/v1/exports/nope").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/exports/nope/file").status()).isEqualTo(404);
        Res bad = http.send("POST", "/api/v1/campaigns/big/exports?format=pdf", null, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("format");
        assertThat(http.send("POST", "/api/v1/campaigns/none/exports", null, null).status()).isEqualTo(404);
    }
}

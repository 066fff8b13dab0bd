package io.outdial.dialer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.campaign.CampaignFile;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ImportLimits;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.MutableClock;
import io.outdial.dialer.support.SqlCount;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile contact files: a zip bomb, a huge cell, a row of 49,000 cells, too many rows or rejected rows, and a
 * failing import worker each end the import FAILED with a message naming the limit (never a silent worker death);
 * the CSV exports never hand a spreadsheet a formula.
 */
class HostileImportTest {
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    ApiTestServer server;
    DataSource ds;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ApiTestClient serve(UnaryOperator<ApiRoutes> setup) {
        ds = MigratedDatabases.h2();
        new JdbcCampaignStore(ds, clock).create(CampaignFile.parse(new ObjectMapper().createObjectNode()
            .put("id", "c1").put("region", "UA"), null, "test").draft(clock.instant()));
        server = new ApiTestServer(ds, clock, dir.resolve("uploads"), 64L * 1024 * 1024, setup);
        return server.http;
    }

    /** Uploads {@code file} and waits until its import is COMPLETED or FAILED; returns its last view. */
    private JsonObject imported(ApiTestClient http, Path file, String type) {
        ApiTestClient.Res up = http.postFile("/api/v1/campaigns/c1/imports?name=" + file.getFileName(), file, type);
        assertThat(up.status()).as(up.body()).isEqualTo(202);
        long id = up.json().getLong("importId");
        JsonObject[] last = new JsonObject[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = http.get("/api/v1/imports/" + id).json();
            assertThat(last[0].getString("state")).as(last[0].encode()).isIn("COMPLETED", "FAILED");
        });
        return last[0];
    }

    private static void assertFailedNaming(JsonObject i, String... parts) {
        assertThat(i.getString("state")).as(i.encode()).isEqualTo("FAILED");
        assertThat(i.getString("error")).contains(parts);
    }

    @Test
    void anXlsxZipBombFailsTheImportOnTheCompressionRatioBeforeItIsInflatedInMemory() throws IOException {
        ApiTestClient http = serve(a -> a);
        Path bomb = dir.resolve("bomb.xlsx");
        // 20 MB of one letter in cells each within the cell limit: the sheet part deflates about a thousandfold
        String cell = "<c r=\"B2\" t=\"inlineStr\"><is><t>" + "A".repeat(10_000) + "</t></is></c>";
        Files.write(bomb, xlsx(cell.repeat(2_000)));
        assertThat(Files.size(bomb)).isLessThan(200_000);

        JsonObject i = imported(http, bomb, XLSX);

        assertFailedNaming(i, "bomb.xlsx", "imports.maxCompressionRatio", "xl/worksheets/sheet1.xml");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact")).isZero();
    }

    @Test
    void anXlsxWithAHugeSharedStringsTableIsRefusedWhileItStreamsByNamingTheLimit() throws IOException {
        ApiTestClient http = serve(a -> a);
        Path huge = dir.resolve("huge-sst.xlsx");
        // 2,000,001 distinct entries (the default limit is 2,000,000), about 50 MB inflated, compressed within ratio
        writeSharedStringsXlsx(huge, 2_000_001, k -> "+38050" + (1_000_000 + k));
        assertThat(Files.size(huge)).isLessThan(20L * 1024 * 1024);

        JsonObject i = imported(http, huge, XLSX);

        assertFailedNaming(i, "huge-sst.xlsx", "imports.maxSharedStrings", "2000000", "xl/sharedStrings.xml");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact")).isZero();
    }

    @Test
    void sharedStringsCharactersAreCappedTooAndATableWithinBothLimitsImports() throws IOException {
        ApiTestClient http = serve(a -> a.withImportLimits(ImportLimits.DEFAULTS.withSharedStrings(1_000, 20_000)));
        Path longTexts = dir.resolve("long-sst.xlsx");
        Random r = new Random(11);
        writeSharedStringsXlsx(longTexts, 100, k -> { // 100 entries of 300 characters: 30,000 in all
            StringBuilder t = new StringBuilder();
            for (int c = 0; c < 300; c++) {
                t.append((char) ('a' + r.nextInt(26)));
            }
            return t.toString();
        });
        assertFailedNaming(imported(http, longTexts, XLSX), "long-sst.xlsx", "imports.maxSharedStringChars", "20000");

        Path many = dir.resolve("many-sst.xlsx");
        writeSharedStringsXlsx(many, 1_001, k -> "n" + k);
        assertFailedNaming(imported(http, many, XLSX), "many-sst.xlsx", "imports.maxSharedStrings", "1000");

        Path fine = dir.resolve("fine-sst.xlsx"); // entries 0 and 1 are the header, 2.. the rows' names
        writeSharedStringsXlsx(fine, 1_000, k -> k == 0 ? "phone" : k == 1 ? "name" : "Name &amp; " + k);
        JsonObject ok = imported(http, fine, XLSX);
        assertThat(ok.getString("state")).as(ok.encode()).isEqualTo("COMPLETED");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact")).isEqualTo(998);
    }

    /**
     * Writes (streaming, never whole in memory) a one-sheet XLSX whose shared-strings table has {@code entries}
     * entries of {@code text(k)}; the sheet has a header row of entries 0 and 1 then, while entries last, rows of a
     * phone number and entry k.
     */
    private static void writeSharedStringsXlsx(Path file, int entries, java.util.function.IntFunction<String> text)
        throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            byte[] template = xlsx("");
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                new java.io.ByteArrayInputStream(template))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (e.getName().equals("[Content_Types].xml")) {
                        body = body.replace("</Types>", "<Override PartName=\"/xl/sharedStrings.xml\" "
                            + "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
                            + "sharedStrings+xml\"/></Types>");
                    } else if (e.getName().equals("xl/_rels/workbook.xml.rels")) {
                        body = body.replace("</Relationships>", "<Relationship Id=\"rId2\" Type=\"http://schemas."
                            + "openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\""
                            + "sharedStrings.xml\"/></Relationships>");
                    } else if (e.getName().equals("xl/worksheets/sheet1.xml")) {
                        StringBuilder rows = new StringBuilder("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                            + "<c r=\"B1\" t=\"s\"><v>1</v></c></row>");
                        for (int k = 2; k < Math.min(entries, 5_000); k++) {
                            rows.append("<row r=\"").append(k).append("\"><c r=\"A").append(k)
                                .append("\" t=\"inlineStr\"><is><t>+38050").append(2_000_000 + k)
                                .append("</t></is></c><c r=\"B").append(k).append("\" t=\"s\"><v>").append(k)
                                .append("</v></c></row>");
                        }
                        body = body.replaceAll("<sheetData>.*</sheetData>", "<sheetData>" + rows + "</sheetData>");
                    }
                    part(zip, e.getName(), body);
                }
            }
            zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/"
                + "spreadsheetml/2006/main\" count=\"" + entries + "\" uniqueCount=\"" + entries + "\">")
                .getBytes(StandardCharsets.UTF_8));
            for (int k = 0; k < entries; k++) {
                zip.write(("<si><t>" + text.apply(k) + "</t></si>").getBytes(StandardCharsets.UTF_8));
            }
            zip.write("</sst>".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    @Test
    void anXlsxCellLongerThanTheLimitFailsTheImport() throws IOException {
        ApiTestClient http = serve(a -> a);
        Path big = dir.resolve("big.xlsx");
        StringBuilder text = new StringBuilder();
        Random r = new Random(7);
        for (int k = 0; k < 40_000; k++) { // incompressible: only the cell limit can refuse it
            text.append((char) ('a' + r.nextInt(26)));
        }
        Files.write(big, xlsx("<c r=\"A2\" t=\"inlineStr\"><is><t>+380501111111</t></is></c>"
            + "<c r=\"B2\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>"));

        JsonObject i = imported(http, big, XLSX);

        assertFailedNaming(i, "big.xlsx", "imports.maxCellChars", "32767");
    }

    @Test
    void aCsvRowOf49000CellsFailsOnTheColumnLimitAndARejectedWideRowIsStoredCut() throws IOException {
        ApiTestClient http = serve(a -> a);
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int row = 0; row < 100; row++) {
            csv.append("+38050111").append(String.format("%04d", row));
            csv.append(",x".repeat(48_999)).append('\n');
        }
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, csv);

        assertFailedNaming(imported(http, wide, "text/csv"), "wide.csv row 2", "49000 cells", "imports.maxColumns");

        // within the limit, a rejected row is kept as one CSV line of at most 8000 characters
        StringBuilder ok = new StringBuilder("phone,name\nnot-a-number");
        for (int c = 0; c < 400; c++) {
            ok.append(",cell-").append(c).append("-").append("y".repeat(30));
        }
        Path rejected = dir.resolve("rejected.csv");
        Files.writeString(rejected, ok.append('\n'));
        JsonObject done = imported(http, rejected, "text/csv");
        assertThat(done.getString("state")).isEqualTo("COMPLETED");
        String raw = http.get("/api/v1/imports/" + done.getLong("importId")
            + "/rejected.csv").body();
        assertThat(raw).contains("not-a-number,cell-0-").contains("cell-150-");
        assertThat(raw.lines().skip(1).findFirst().orElseThrow().length()).isLessThan(8200);
    }

    @Test
    void tooManyRowsAndTooManyRejectedRowsFailTheImportNamingTheLimit() throws IOException {
        ApiTestClient http = serve(a -> a.withImportLimits(new ImportLimits(50, 10, 500, 32_767, 100, 1000, 100_000)));
        StringBuilder rows = new StringBuilder("phone\n");
        for (int k = 0; k < 100; k++) {
            rows.append("+38050111").append(String.format("%04d", k)).append('\n');
        }
        Path many = dir.resolve("many.csv");
        Files.writeString(many, rows);
        assertFailedNaming(imported(http, many, "text/csv"), "more than 50 rows", "imports.maxRows");

        StringBuilder bad = new StringBuilder("phone\n");
        for (int k = 0; k < 30; k++) {
            bad.append("nonsense-").append(k).append('\n');
        }
        Path rejects = dir.resolve("rejects.csv");
        Files.writeString(rejects, bad);
        assertFailedNaming(imported(http, rejects, "text/csv"), "more than 10 rows rejected",
            "imports.maxRejectedRows");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact")).isZero();
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact_import_rejection")).isZero();
    }

    @Test
    void anErrorInTheImportWorkerEndsTheImportFailedWithTheReason() throws IOException {
        ApiTestClient http = serve(a -> a.withImportReaders(task -> {
            throw new OutOfMemoryError("simulated: Java heap space");
        }));
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, "phone\n+380501111111\n");

        JsonObject i = imported(http, f, "text/csv");

        assertFailedNaming(i, "OutOfMemoryError", "simulated: Java heap space");
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact_import WHERE state = 'IMPORTING'")).isZero();
        // the API stays usable
        assertThat(http.get("/api/v1/campaigns/c1").status()).isEqualTo(200);
    }

    @Test
    void formulaCellsAreNeutralisedInRejectedRowsResultsAndTheStopListButNumbersStayUsable() throws IOException {
        ApiTestClient http = serve(a -> a);
        Path f = dir.resolve("formulas.csv");
        Files.writeString(f, "id,phone,note\n"
            + "\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",+380501111111,@SUM(A1)\n"
            + "-2+A1,not-a-phone,\"=cmd|' /C calc'!A0\"\n"
            + "\"\tTAB\",+380502222222,+1 (555) 000\n");
        JsonObject done = imported(http, f, "text/csv");
        assertThat(done.getString("state")).as(done.encode()).isEqualTo("COMPLETED");

        String rejected = http.get("/api/v1/imports/"
            + done.getLong("importId") + "/rejected.csv").body();
        assertThat(rejected).contains("'-2+A1").contains("'=cmd|").doesNotContain(",-2+A1").doesNotContain(",\"=cmd");

        String results = http.get("/api/v1/campaigns/c1/results.csv").body();
        assertThat(results).contains("'=HYPERLINK").contains("+380501111111")
            .doesNotContain("'+380501111111").doesNotContain("\n\"=HYPERLINK").doesNotContain("\n=HYPERLINK");

        assertThat(http.put("/api/v1/stop-list/global/%2B380503333333", "{\"reason\": \"=2+5\"}",
            "application/json").status()).isBetween(200, 204);
        String stop = http.get("/api/v1/stop-list/global/export.csv").body();
        assertThat(stop).contains("+380503333333,'=2+5").doesNotContain("'+380503333333");
    }

    /** A one-sheet XLSX whose sheet is a header row (phone, name) then {@code row2Cells} in row 2. */
    static byte[] xlsx(String row2Cells) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            part(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                + ".spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-"
                + "officedocument.spreadsheetml.worksheet+xml\"/></Types>");
            part(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                + "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
            part(zip, "xl/workbook.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\""
                + "http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                + "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
            part(zip, "xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                + "worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
            part(zip, "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>phone</t></is></c>"
                + "<c r=\"B1\" t=\"inlineStr\"><is><t>name</t></is></c></row>"
                + "<row r=\"2\">" + row2Cells + "</row></sheetData></worksheet>");
        }
        return bytes.toByteArray();
    }

    private static void part(ZipOutputStream zip, String name, String text) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(text.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}

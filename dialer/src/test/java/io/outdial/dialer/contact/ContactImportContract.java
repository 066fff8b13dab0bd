package io.outdial.dialer.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.dialer.support.DatabaseTest;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contact import behaviour on every database a subclass supplies. */
public abstract class ContactImportContract implements DatabaseTest {
    /** The import pool of these tests (daemon threads, as the node's). */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors
        .newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-import");
            t.setDaemon(true);
            return t;
        });

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    @TempDir
    Path dir;
    private ContactImporter importer;
    private JdbcContactStore store;
    private JdbcImportStore imports;

    @BeforeEach
    void setUp() {
        importer = new ContactImporter(dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), new PhoneNormalizer("UA"),
                READERS, 1000, 100_000);
        store = new JdbcContactStore(dataSource());
        imports = new JdbcImportStore(dataSource());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private Path utf8(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void csvWithBomSemicolonsAndQuotesImportsMergesFlagsAndRejectsRows() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String body = "id;name;mobile;work phone;note\n"
                + "1;\"Petrenko; Olena\";050 111 11 11;044 222 22 22;\"says \"\"hi\"\"\"\n"
                + "2;Bad;+1 55;;\n"
                + "3;Dup;+380501111111;;\n"
                + "4;Blocked;0503333333;;\n"
                + "5;NoPhone;;;\n"
                + "6;Tail;0504444444;;last\n";
        byte[] all = new byte[bom.length + body.getBytes(StandardCharsets.UTF_8).length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(body.getBytes(StandardCharsets.UTF_8), 0, all, 3, all.length - 3);
        NumberSet blocked = new NumberSet();
        blocked.add("+380503333333");
        List<long[]> progress = new ArrayList<>();
        ImportReport r = importer.importFile("c1", write("contacts.csv", all), null, blocked,
                (read, imported, rejected) -> progress.add(new long[] {read, imported, rejected}));

        assertThat(r.rowsRead()).isEqualTo(6);
        assertThat(r.imported()).isEqualTo(3);
        assertThat(r.merged()).isEqualTo(1);
        assertThat(r.stopListed()).isEqualTo(1);
        assertThat(r.firstRejections()).extracting(ImportReport.Rejection::reason).containsExactly(
                "contacts.csv row 3: phone \"+1 55\" is not a valid number",
                "contacts.csv row 6: no phone number in the phone columns");
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(6, 3, 2);

        List<Contact> due = store.pickDue("c1", NOW, 10, "t");
        assertThat(due).hasSize(2);
        Contact olena = due.stream().filter(c -> "1".equals(c.extId())).findFirst().orElseThrow();
        assertThat(olena.phones().phones()).extracting(Phone::label, Phone::e164)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mobile", "+380501111111"),
                        org.assertj.core.groups.Tuple.tuple("work phone", "+380442222222"));
        assertThat(olena.fields()).containsEntry("name", "Petrenko; Olena").containsEntry("note", "says \"hi\"");
        assertThat(store.counts("c1", NOW).stopListed()).isEqualTo(1);

        StringWriter rejected = new StringWriter();
        imports.writeRejectedCsv(r.importId(), rejected);
        assertThat(rejected.toString().split("\r\n")).containsExactly(
                "row,reason,id,name,mobile,work phone,note",
                "3,\"contacts.csv row 3: phone \"\"+1 55\"\" is not a valid number\",2,Bad,+1 55,,",
                "6,contacts.csv row 6: no phone number in the phone columns,5,NoPhone,,,");
        assertThat(imports.status(r.importId()).state()).isEqualTo("PUBLISHED");
    }

    @Test
    void contactsStayInvisibleUntilTheImportIsPublished() throws IOException {
        StringBuilder sb = new StringBuilder("phone\n");
        for (int i = 0; i < 35; i++) {
            sb.append("+38050").append(1000000 + i).append('\n');
        }
        ContactImporter small = new ContactImporter(dataSource(), Clock.fixed(NOW, ZoneOffset.UTC),
                new PhoneNormalizer("UA"), READERS, 10, 1000);
        List<Long> seenDuring = new ArrayList<>();
        ImportReport r = small.importFile("c1", utf8("batches.csv", sb.toString()), null, new NumberSet(),
                (read, imported, rejected) -> {
                    if (read < 35) {
                        seenDuring.add(store.counts("c1", NOW).total());
                        seenDuring.add((long) store.pickDue("c1", NOW, 100, "t").size());
                        assertThat(store.hasOpenContacts("c1")).isFalse();
                        assertThat(store.nextDueAt("c1")).as("no due time from invisible rows").isEmpty();
                    }
                });
        assertThat(seenDuring).hasSize(6).containsOnly(0L);
        assertThat(r.imported()).isEqualTo(35);
        assertThat(store.counts("c1", NOW).availableNow()).isEqualTo(35);
        assertThat(store.nextDueAt("c1")).contains(NOW);
    }

    @Test
    void importAbandonedByAStoppedNodeIsFailedAndRemovedAtStart() throws Exception {
        long id = imports.begin("c1", "lost.csv", NOW);
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(JdbcContactStore.INSERT)) {
            JdbcContactStore.addToBatch(ps, new JdbcContactStore.NewContact("c1", null, new PhoneSet(List.of(
                    new Phone("mobile", "+380501111111", 0, false))), null, java.util.Map.of(), ContactState.WAITING,
                    null, NOW), id);
            ps.executeBatch();
        }
        assertThat(store.counts("c1", NOW).total()).as("invisible while importing").isZero();
        assertThat(importer.cleanupAbandoned(NOW.plusSeconds(1))).isEqualTo(1);
        assertThat(imports.status(id).state()).isEqualTo("FAILED");
        assertThat(imports.status(id).error()).contains("abandoned");
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM contact")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void anImportWhoseRowWasRemovedMeanwhileIsNotPublishedAndLeavesNoContact() throws Exception {
        StringBuilder sb = new StringBuilder("phone\n");
        for (int i = 0; i < 35; i++) {
            sb.append("+38050").append(1000000 + i).append('\n');
        }
        ContactImporter small = new ContactImporter(dataSource(), Clock.fixed(NOW, ZoneOffset.UTC),
                new PhoneNormalizer("UA"), READERS, 10, 1000);
        boolean[] deleted = {false};
        assertThatThrownBy(() -> small.importFile("c1", utf8("gone.csv", sb.toString()), null, new NumberSet(),
                (read, imported, rejected) -> {
                    if (!deleted[0]) { // the draft campaign is deleted while its import runs (Sql.deleteDraft)
                        deleted[0] = true;
                        try (java.sql.Connection c = dataSource().getConnection();
                             java.sql.Statement st = c.createStatement()) {
                            st.executeUpdate("DELETE FROM contact WHERE campaign_id = 'c1'");
                            st.executeUpdate("DELETE FROM contact_import WHERE campaign_id = 'c1'");
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is no longer importing");
        assertThat(deleted[0]).isTrue();
        assertThat(store.counts("c1", NOW).total()).isZero();
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM contact")) {
            rs.next();
            assertThat(rs.getLong(1)).as("no orphan rows left to come back").isZero();
        }
    }

    @Test
    void sampleFileFromExamplesImportsAsDocumented() {
        Path sample = Path.of("..", "examples", "contacts-sample.csv");
        ImportReport r = importer.importFile("c1", sample, null, new NumberSet(), ImportProgress.NONE);
        assertThat(r.rowsRead()).isEqualTo(6);
        assertThat(r.imported()).isEqualTo(4);
        assertThat(r.merged()).isEqualTo(1);
        assertThat(r.firstRejections()).extracting(ImportReport.Rejection::reason)
                .containsExactly("contacts-sample.csv row 7: phone \"+1 55\" is not a valid number");
    }

    @Test
    void windows1251FileIsDecodedAndTabsDetected() throws IOException {
        String text = "телефон\tім'я\tmisto\n0501234567\tОлена\tКиїв\n";
        Path f = write("contacts-1251.txt", text.getBytes(CsvSniffer.WINDOWS_1251));
        ImportReport r = importer.importFile("c1", f, null, new NumberSet(), ImportProgress.NONE);
        assertThat(r.imported()).isEqualTo(1);
        Contact c = store.pickDue("c1", NOW, 1, "t").get(0);
        assertThat(c.fields()).containsEntry("ім'я", "Олена").containsEntry("misto", "Київ");
        assertThat(c.phones().primary()).isEqualTo("+380501234567");
    }

    @Test
    void reimportMergesNumbersTheCampaignAlreadyHas() throws IOException {
        importer.importFile("c1", utf8("a.csv", "phone\n0501111111\n"), null, new NumberSet(), ImportProgress.NONE);
        ImportReport r = importer.importFile("c1", utf8("b.csv", "phone\n+380501111111\n0502222222\n"), null,
                new NumberSet(), ImportProgress.NONE);
        assertThat(r.merged()).isEqualTo(1);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(store.counts("c1", NOW).total()).isEqualTo(2);
    }

    @Test
    void explicitMappingAndTimeZoneColumn() throws IOException {
        Path f = utf8("m.csv", "who,primary,zone\nA,+12125550123,America/Chicago\nB,+12125550124,Mars/Base\n");
        ColumnMapping m = new ColumnMapping(List.of(new ColumnMapping.PhoneColumn("primary", "home")), null, "zone",
                List.of("who"));
        ImportReport r = importer.importFile("c1", f, m, new NumberSet(), ImportProgress.NONE);
        assertThat(r.imported()).isEqualTo(1);
        assertThat(r.firstRejections().get(0).reason()).startsWith("m.csv row 3: time zone \"Mars/Base\"");
        Contact c = store.pickDue("c1", NOW, 1, "t").get(0);
        assertThat(c.timeZone()).isEqualTo("America/Chicago");
        assertThat(c.phones().get(0).label()).isEqualTo("home");
    }

    @Test
    void badFilesGetClearErrorsAndWriteNothing() throws IOException {
        assertRefused(utf8("empty.csv", ""), ImportException.Reason.EMPTY_FILE, "empty.csv is empty");
        assertRefused(utf8("header.csv", "phone,name\n"), ImportException.Reason.EMPTY_FILE, "no contact rows");
        assertRefused(utf8("nophone.csv", "name,city\nA,B\n"), ImportException.Reason.NO_PHONE_COLUMN,
                "nophone.csv has no phone column; columns are [name, city]");
        assertRefused(write("utf16.csv", "phone\n0501111111\n".getBytes(StandardCharsets.UTF_16)),
                ImportException.Reason.BAD_ENCODING, "UTF-16");
        assertRefused(write("bin.csv", new byte[] {'p', 'h', 0, 1, 2}), ImportException.Reason.BAD_ENCODING, "NUL");
        assertThatThrownBy(() -> importer.importFile("c1", utf8("m.csv", "phone\n1\n"),
                new ColumnMapping(List.of(new ColumnMapping.PhoneColumn("mobile", null)), null, null, null),
                new NumberSet(), ImportProgress.NONE))
                .hasMessage("m.csv has no column \"mobile\"; columns are [phone]");
        assertThat(store.counts("c1", NOW).total()).isZero();
    }

    @Test
    void tenMegabyteLineFailsTheWholeImportAfterEarlierBatches() throws Exception {
        Path f = dir.resolve("long.csv");
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write("phone,name\n");
            for (int i = 0; i < 2500; i++) {
                w.write("+38050" + (1000000 + i) + ",n" + i + "\n");
            }
            w.write("+380509999999,");
            char[] chunk = new char[1 << 20];
            java.util.Arrays.fill(chunk, 'x');
            for (int i = 0; i < 10; i++) {
                w.write(chunk);
            }
            w.write("\n");
        }
        assertRefused(f, ImportException.Reason.LINE_TOO_LONG, "long.csv line 2502 is longer than 100000 characters");
        assertThat(store.counts("c1", NOW).total()).as("2 committed batches never became visible").isZero();
        try (java.sql.Connection c = dataSource().getConnection();
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM contact")) {
            rs.next();
            assertThat(rs.getLong(1)).as("and were deleted").isZero();
        }
    }

    @Test
    void invalidUtf8AfterTheSampleFailsWithTheRow() throws IOException {
        StringBuilder sb = new StringBuilder("phone,name\n");
        for (int i = 0; sb.length() < 80_000; i++) {
            sb.append("+38050").append(1000000 + i).append(",Олена\n");
        }
        byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = "+380509999999,\u041e\u043b\n".getBytes(CsvSniffer.WINDOWS_1251);
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Path f = write("mixed.csv", all);
        assertThatThrownBy(() -> importer.importFile("c1", f, null, new NumberSet(), ImportProgress.NONE))
                .isInstanceOf(ImportException.class).hasMessageContaining("is not valid UTF-8");
        assertThat(store.counts("c1", NOW).total()).isZero();
    }

    @Test
    void xlsxSingleSheetImportsNumbersTypedAsNumbers() throws IOException {
        Path f = xlsx("contacts.xlsx", 1, false);
        ImportReport r = importer.importFile("c1", f, null, new NumberSet(), ImportProgress.NONE);
        assertThat(r.imported()).isEqualTo(2);
        assertThat(store.pickDue("c1", NOW, 5, "t")).extracting(c -> c.phones().primary())
                .containsExactlyInAnyOrder("+380501111111", "+380502222222");
    }

    @Test
    void xlsxWithFormulasOrSeveralSheetsIsRefused() throws IOException {
        assertRefused(xlsx("formula.xlsx", 1, true), ImportException.Reason.XLSX_FORMULA, "formula");
        assertRefused(xlsx("two.xlsx", 2, false), ImportException.Reason.XLSX_SEVERAL_SHEETS, "two.xlsx has 2 sheets");
    }

    /** A CSV whose first 64 KiB (the sniffed sample, where a NUL refuses the whole file) are good rows. */
    private static StringBuilder paddedCsv(String header) {
        StringBuilder sb = new StringBuilder(header);
        for (int i = 0; sb.length() < 70_000; i++) {
            sb.append("p").append(i).append(",+38050").append(1000000 + i).append(",pad\n");
        }
        return sb;
    }

    @Test
    void rowsWithANulOrAnOverlongIdAreRejectedAndTheImportGoesOn() throws IOException {
        StringBuilder sb = paddedCsv("id,phone,note\n");
        long padding = sb.chars().filter(ch -> ch == '\n').count() - 1;
        sb.append("nul1,050\u00001111111,x\n")
                .append("nul\u00002,0502222222,x\n")
                .append("nul3,0503333333,a\u0000b\n")
                .append("i".repeat(201)).append(",0504444444,x\n")
                .append("i".repeat(200)).append(",0505555555,x\n");
        ImportReport r = importer.importFile("c1", utf8("nul.csv", sb.toString()), null, new NumberSet(),
                ImportProgress.NONE);
        long first = padding + 2;
        assertThat(r.rowsRead()).isEqualTo(padding + 5);
        assertThat(r.imported()).isEqualTo(padding + 1);
        assertThat(r.firstRejections()).extracting(ImportReport.Rejection::reason).containsExactly(
                "nul.csv row " + first + ": column 2 contains a NUL character",
                "nul.csv row " + (first + 1) + ": column 1 contains a NUL character",
                "nul.csv row " + (first + 2) + ": column 3 contains a NUL character",
                "nul.csv row " + (first + 3) + ": id is 201 characters; at most 200");
        assertThat(imports.status(r.importId()).state()).isEqualTo("PUBLISHED");
        assertThat(store.counts("c1", NOW).total()).isEqualTo(padding + 1);
        StringWriter rejected = new StringWriter();
        imports.writeRejectedCsv(r.importId(), rejected);
        assertThat(rejected.toString()).doesNotContain("\u0000")
                .contains(first + ",nul.csv row " + first + ": column 2 contains a NUL character,nul1,0501111111,x")
                .contains(",nul2,0502222222,x").contains(",nul3,0503333333,ab");
    }

    @Test
    void aRejectedRowLongerThanTheStoredTextIsCutAtACellAndDownloads() throws Exception {
        String notes = "first, second " + "n".repeat(9000);
        Path f = utf8("long-notes.csv", "id,phone,notes\n1,+1 55,\"" + notes + "\"\n2,0501111111,ok\n");
        ImportReport r = importer.importFile("c1", f, null, new NumberSet(), ImportProgress.NONE);
        assertThat(r.rejected()).isEqualTo(1);
        StringWriter out = new StringWriter();
        imports.writeRejectedCsv(r.importId(), out);
        List<org.apache.commons.csv.CSVRecord> rows = org.apache.commons.csv.CSVFormat.DEFAULT
                .parse(new java.io.StringReader(out.toString())).getRecords();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).values()).hasSize(5);
        assertThat(rows.get(1).get(2)).isEqualTo("1");
        assertThat(rows.get(1).get(3)).isEqualTo("+1 55");
        assertThat(rows.get(1).get(4)).startsWith("first, second nnn").hasSizeBetween(7900, 8000);
        assertThat(notes).startsWith(rows.get(1).get(4));

        // a row stored cut inside a quoted cell (before this was fixed) downloads as one cell instead of failing
        String broken = "1,+1 55,\"first, second " + "n".repeat(7977);
        try (java.sql.Connection c = dataSource().getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE contact_import_rejection SET raw_row = ? WHERE import_id = ?")) {
            ps.setString(1, broken);
            ps.setLong(2, r.importId());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        StringWriter again = new StringWriter();
        imports.writeRejectedCsv(r.importId(), again);
        rows = org.apache.commons.csv.CSVFormat.DEFAULT.parse(new java.io.StringReader(again.toString()))
                .getRecords();
        assertThat(rows.get(1).values()).hasSize(3);
        assertThat(rows.get(1).get(2)).isEqualTo(broken);
    }

    private Path xlsx(String name, int sheets, boolean formula) throws IOException {
        return Files.write(dir.resolve(name), io.outdial.dialer.support.TestWorkbooks.contacts(sheets, formula));
    }

    private void assertRefused(Path file, ImportException.Reason reason, String message) {
        assertThatThrownBy(() -> importer.importFile("c1", file, null, new NumberSet(), ImportProgress.NONE))
                .isInstanceOfSatisfying(ImportException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }
}

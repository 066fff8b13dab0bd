package io.outdial.bench.campaign;

import io.outdial.dialer.contact.ContactImporter;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.NumberSet;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.outdial.dialer.reporting.Reports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Load run: imports a generated CSV of N rows (default 1,000,000) into an H2 file database and prints the
 * time, rows per second, the peak heap after GC, and the ratio against an in-run baseline (parsing the same
 * file with commons-csv and nothing else). Run with {@code -Xmx256m} to check the flat heap:
 * {@code java -Xmx256m -cp bench/target/benchmarks.jar io.outdial.bench.campaign.ImportLoad [rows]}.
 */
public final class ImportLoad {
    private ImportLoad() { }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("outdial-import-load");
        try {
            Path csv = dir.resolve("contacts.csv");
            generate(csv, rows);
            System.out.printf("file: %,d rows, %,d bytes%n", rows, Files.size(csv));

            long t0 = System.nanoTime();
            long parsed = parseOnly(csv);
            long baselineMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("baseline (commons-csv parse only): %,d rows in %,d ms%n", parsed, baselineMs);

            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_DELAY=-1");
            ds.setUser("sa");
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            ContactImporter importer = new ContactImporter(ds, Clock.systemUTC(), new PhoneNormalizer("UA"),
                java.util.concurrent.Executors.newCachedThreadPool());
            AtomicLong peak = new AtomicLong();
            long t1 = System.nanoTime();
            ImportReport r = importer.importFile("bench", csv, null, new NumberSet(),
                    (read, imported, rejected) -> {
                        if (read % 100_000 == 0) {
                            peak.accumulateAndGet(heapAfterGc(), Math::max);
                        }
                    });
            long importMs = (System.nanoTime() - t1) / 1_000_000;
            System.out.printf("import: %,d rows read, %,d imported, %,d merged, %,d rejected in %,d ms (%,d rows/s)%n",
                    r.rowsRead(), r.imported(), r.merged(), r.rejected(), importMs, r.rowsRead() * 1000 / Math.max(1, importMs));
            System.out.printf("ratio import/parse-only: %.1f%n", (double) importMs / Math.max(1, baselineMs));
            System.out.printf("peak heap used after GC during import: %,d MB (max heap %,d MB)%n",
                    peak.get() / (1 << 20), Runtime.getRuntime().maxMemory() / (1 << 20));
            JdbcContactStore store = new JdbcContactStore(ds);
            long[] picks = new long[20];
            for (int i = 0; i < picks.length; i++) {
                long a = System.nanoTime();
                int got = store.pickDue("bench", Instant.now(), 1000, "bench").size();
                picks[i] = System.nanoTime() - a;
                if (got != 1000) {
                    throw new IllegalStateException("picked " + got);
                }
            }
            Arrays.sort(picks);
            System.out.printf("H2 pickDue 1000 of %,d: median %.2f ms, max %.2f ms%n", r.imported(),
                    picks[picks.length / 2] / 1e6, picks[picks.length - 1] / 1e6);
            for (long after : new long[] {0, r.imported() / 2, r.imported() - 50}) {
                long[] pages = new long[20];
                for (int i = 0; i < pages.length; i++) {
                    long a = System.nanoTime();
                    int got = store.page("bench", null, after, 50).size();
                    pages[i] = System.nanoTime() - a;
                    if (got != 50) {
                        throw new IllegalStateException("page after " + after + " has " + got + " contacts");
                    }
                }
                Arrays.sort(pages);
                System.out.printf("H2 contacts page of 50 after id %,d: median %.2f ms, max %.2f ms%n", after,
                        pages[pages.length / 2] / 1e6, pages[pages.length - 1] / 1e6);
            }
            Path results = dir.resolve("results.csv");
            long t2 = System.nanoTime();
            int written = Reports.resultsCsv(ds, "bench", results);
            System.out.printf("results.csv: %,d rows, %,d bytes in %,d ms; heap used after GC %,d MB%n", written,
                    Files.size(results), (System.nanoTime() - t2) / 1_000_000, heapAfterGc() / (1 << 20));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Rows with two phones, a name, a city; 1 in 1000 duplicate, 1 in 1000 invalid. */
    static void generate(Path csv, int rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,name,mobile,work phone,city\n");
            for (int i = 0; i < rows; i++) {
                int n = i % 1000 == 999 ? i - 1 : i;
                String mobile = i % 1000 == 500 ? "+1 55" : "050" + String.format("%07d", n);
                w.write(i + ",Name " + i + "," + mobile + ",044" + String.format("%07d", n) + ",Kyiv\n");
            }
        }
    }

    private static long parseOnly(Path csv) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(csv);
             CSVParser p = CSVParser.builder().setReader(r).setFormat(CSVFormat.DEFAULT).get()) {
            for (CSVRecord rec : p) {
                n += rec.size() > 0 ? 1 : 0;
            }
        }
        return n - 1;
    }

    private static long heapAfterGc() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}

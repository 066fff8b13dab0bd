package io.outdial.dialer.reporting;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A campaign's results as an XLSX workbook: the rows and columns of {@link ResultsCsv}, one sheet, written with
 * fastexcel's streaming writer. The CSV is written first to {@code work} and read back row by row; each block of
 * rows is flushed to the output as it is written, so neither file is held in memory; the texts of the rows are
 * written inline (not in the shared-string table, which would keep every distinct text until the end). Blocking:
 * call on a worker.
 */
final class ResultsXlsx {
    private static final int FLUSH_EVERY = 1000;

    private ResultsXlsx() {
    }

    /** Writes the results of {@code campaignId} to {@code out}, using {@code work} (deleted after) for the CSV. */
    static void write(DataSource ds, String campaignId, Path work, Path out) {
        write(ds, campaignId, work, out, rows -> { }, rows -> { });
    }

    /**
     * As {@link #write(DataSource, String, Path, Path)}, telling {@code csvRows} the rows of the CSV pass written so
     * far, then {@code xlsxRows} the rows copied into the workbook so far.
     */
    static void write(DataSource ds, String campaignId, Path work, Path out, LongConsumer csvRows,
                             LongConsumer xlsxRows) {
        try {
            ResultsCsv.write(ds, campaignId, work, csvRows);
            transcode(work, out, "results", xlsxRows);
        } finally {
            try {
                Files.deleteIfExists(work);
            } catch (IOException ignored) {
                // a temporary file of the work folder: the node's cleanup takes it later
            }
        }
    }

    /**
     * Copies a CSV file (first row: header) into a one-sheet workbook named {@code sheet}; tells {@code rowsDone} the
     * data rows (not the header) copied so far after each.
     */
    static void transcode(Path csv, Path xlsx, String sheet, LongConsumer rowsDone) {
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().get().parse(in);
             OutputStream os = Files.newOutputStream(xlsx)) {
            Workbook wb = new Workbook(os, "Outdial", "1.0");
            Worksheet ws = wb.newWorksheet(sheet);
            int row = 0;
            for (CSVRecord rec : parser) {
                for (int col = 0; col < rec.size(); col++) {
                    String v = rec.get(col);
                    if (row > 0 && v.matches("-?\\d{1,15}")) {
                        ws.value(row, col, Long.parseLong(v));
                    } else if (row > 0) {
                        // inline, not in the shared-string table: that table would hold every distinct text (ids,
                        // phones) of a million rows in memory until the workbook is finished
                        ws.inlineString(row, col, v);
                    } else {
                        ws.value(row, col, v);
                    }
                    if (row == 0) {
                        ws.style(row, col).bold().set();
                    }
                }
                row++;
                if (row > 1) {
                    rowsDone.accept(row - 1);
                }
                if (row % FLUSH_EVERY == 0) {
                    ws.flush();
                }
            }
            ws.finish();
            wb.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + xlsx + ": " + e.getMessage(), e);
        }
    }
}

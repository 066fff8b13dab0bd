package io.outdial.dialer.contact;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a contact file as CSV or XLSX by looking at its first bytes. */
final class ContactFiles {
    private static final int SAMPLE = 64 * 1024;

    private ContactFiles() { }

    static RowSource open(Path file, int maxLineChars) {
        return open(file, maxLineChars, ImportLimits.DEFAULTS);
    }

    /** Opens {@code file} with its rows checked against {@code limits} (an XLSX is checked for a zip bomb first). */
    static RowSource open(Path file, int maxLineChars, ImportLimits limits) {
        String name = file.getFileName().toString();
        try {
            byte[] head = new byte[8];
            int headLen;
            try (InputStream in = Files.newInputStream(file)) {
                headLen = in.readNBytes(head, 0, head.length);
            }
            if (headLen >= 8 && org.dhatim.fastexcel.reader.ReadableWorkbook.isOLE2Header(head)) {
                throw new ImportException(ImportException.Reason.UNREADABLE, name
                        + " is an old Excel 97-2003 (.xls) file; save it as .xlsx or CSV");
            }
            if (headLen >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                XlsxGuard.check(file, name, limits);
                return new LimitedRows(new XlsxRowSource(file.toFile(), name), limits);
            }
            InputStream in = new BufferedInputStream(Files.newInputStream(file), SAMPLE);
            try {
                in.mark(SAMPLE);
                byte[] sample = in.readNBytes(SAMPLE);
                in.reset();
                CsvSniffer.Format format = CsvSniffer.sniff(sample, sample.length, name);
                return new LimitedRows(new CsvRowSource(in, format, name, maxLineChars), limits);
            } catch (RuntimeException | IOException e) {
                in.close();
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new ImportException(ImportException.Reason.UNREADABLE, name + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read", e);
        } catch (org.dhatim.fastexcel.reader.ExcelReaderException e) {
            throw new ImportException(ImportException.Reason.UNREADABLE, name + " is not a readable XLSX: " + e.getMessage(), e);
        }
    }
}

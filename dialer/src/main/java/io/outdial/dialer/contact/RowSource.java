package io.outdial.dialer.contact;

import java.nio.file.Path;
import java.util.List;

/** A streamed contact file: its header, then rows one at a time. Never holds the whole file. */
interface RowSource extends AutoCloseable {

    /** Column names from the first row. */
    List<String> header();

    /** The next data row, or null at the end. Throws {@link ImportException} for a broken file. */
    SourceRow next();

    /** File name for messages. */
    String name();

    @Override
    void close();

    /**
     * Opens a CSV or XLSX file (by content: an XLSX is a zip), with {@code maxLineChars} the longest line
     * accepted in a CSV.
     */
    static RowSource open(Path file, int maxLineChars) {
        return ContactFiles.open(file, maxLineChars);
    }

    /** {@link #open(Path, int)} with the rows checked against {@code limits}. */
    static RowSource open(Path file, int maxLineChars, ImportLimits limits) {
        return ContactFiles.open(file, maxLineChars, limits);
    }
}

package io.outdial.dialer.contact;

import java.util.List;

/**
 * One data row of a contact file.
 *
 * @param rowNumber the row as the user sees it (the header is row 1)
 * @param cells cell texts in column order
 */
record SourceRow(long rowNumber, List<String> cells) {
    public SourceRow {
        cells = List.copyOf(cells);
    }

    /** Cell {@code i}, or "" when the row is shorter. */
    public String cell(int i) {
        return i < cells.size() ? cells.get(i) : "";
    }
}

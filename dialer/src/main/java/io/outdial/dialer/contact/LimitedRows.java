package io.outdial.dialer.contact;

import java.util.List;

/** A row source whose rows are checked against the import's column and cell limits as they are read. */
final class LimitedRows implements RowSource {
    private final RowSource src;
    private final ImportLimits limits;

    LimitedRows(RowSource src, ImportLimits limits) {
        this.src = src;
        this.limits = limits;
        try {
            check(src.header(), 1);
        } catch (RuntimeException e) {
            src.close();
            throw e;
        }
    }

    @Override
    public List<String> header() {
        return src.header();
    }

    @Override
    public SourceRow next() {
        SourceRow r = src.next();
        if (r != null) {
            check(r.cells(), r.rowNumber());
        }
        return r;
    }

    private void check(List<String> cells, long row) {
        if (cells.size() > limits.maxColumns()) {
            throw new ImportException(ImportException.Reason.TOO_MANY_COLUMNS, src.name() + " row " + row + " has "
                + cells.size() + " cells; at most " + limits.maxColumns() + " columns are accepted (imports.maxColumns)");
        }
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            if (cell != null && cell.length() > limits.maxCellChars()) {
                throw new ImportException(ImportException.Reason.CELL_TOO_LARGE, src.name() + " row " + row
                    + " column " + (c + 1) + " holds " + cell.length() + " characters; at most "
                    + limits.maxCellChars() + " are accepted in a cell (imports.maxCellChars)");
            }
        }
    }

    @Override
    public String name() {
        return src.name();
    }

    @Override
    public void close() {
        src.close();
    }
}

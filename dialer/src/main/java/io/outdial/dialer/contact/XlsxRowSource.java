package io.outdial.dialer.contact;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/** Streams the single sheet of an XLSX with fastexcel-reader; formulas and several sheets are refused. */
final class XlsxRowSource implements RowSource {
    private final String name;
    private final ReadableWorkbook workbook;
    private final Stream<Row> stream;
    private final Iterator<Row> rows;
    private final List<String> header;

    XlsxRowSource(File file, String name) throws IOException {
        this.name = name;
        this.workbook = new ReadableWorkbook(file);
        try {
            List<Sheet> sheets = workbook.getSheets().toList();
            if (sheets.size() != 1) {
                throw new ImportException(ImportException.Reason.XLSX_SEVERAL_SHEETS, name + " has " + sheets.size()
                        + " sheets (" + sheets.stream().map(Sheet::getName).toList()
                        + "); expected exactly one: delete the others or save the contacts sheet as CSV");
            }
            this.stream = sheets.get(0).openStream();
            this.rows = stream.iterator();
            SourceRow first = next();
            if (first == null) {
                throw new ImportException(ImportException.Reason.EMPTY_FILE, name + " has no rows; expected a header row and contacts");
            }
            this.header = first.cells();
        } catch (RuntimeException | IOException e) {
            workbook.close();
            throw e;
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public SourceRow next() {
        try {
            return read();
        } catch (ImportException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ImportException(ImportException.Reason.UNREADABLE, name + " is not a readable XLSX sheet: "
                    + e.getMessage(), e);
        }
    }

    private SourceRow read() {
        while (rows.hasNext()) {
            Row r = rows.next();
            List<String> cells = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < r.getCellCount(); i++) {
                String text = text(r.getCell(i), r.getRowNum());
                any |= !text.isEmpty();
                cells.add(text);
            }
            if (any) {
                return new SourceRow(r.getRowNum(), cells);
            }
        }
        return null;
    }

    private String text(Cell c, int rowNum) {
        if (c == null) {
            return "";
        }
        if (c.getType() == CellType.FORMULA || c.getFormula() != null) {
            throw new ImportException(ImportException.Reason.XLSX_FORMULA, name + " row " + rowNum + " cell "
                    + c.getAddress() + " holds the formula =" + c.getFormula()
                    + "; expected plain values (copy and paste values only, or save as CSV)");
        }
        if (c.getType() == CellType.NUMBER) {
            // phone numbers typed as numbers: print all digits, never 3.8E11
            BigDecimal n = c.asNumber().stripTrailingZeros();
            return n.scale() <= 0 ? n.toBigInteger().toString() : n.toPlainString();
        }
        String raw = c.getText();
        return raw == null ? "" : raw.trim();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            if (stream != null) {
                stream.close();
            }
            workbook.close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": close failed", e);
        }
    }
}

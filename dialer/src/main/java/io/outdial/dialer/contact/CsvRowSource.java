package io.outdial.dialer.contact;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Streams a CSV through commons-csv with the sniffed encoding and delimiter and a line-length cap. */
final class CsvRowSource implements RowSource {
    private final String name;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    CsvRowSource(InputStream in, CsvSniffer.Format format, String name, int maxLineChars) throws IOException {
        this.name = name;
        in.skipNBytes(format.bomLength());
        // strict decoding: a byte sequence that is not UTF-8 later in the file fails with a clear error
        Reader reader = new InputStreamReader(in, format.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        Reader bounded = new BoundedLineReader(reader, maxLineChars, name);
        CSVFormat csv = CSVFormat.DEFAULT.builder().setDelimiter(format.delimiter()).setTrim(true)
                .setIgnoreEmptyLines(true).get();
        this.parser = CSVParser.builder().setReader(bounded).setFormat(csv).get();
        this.records = parser.iterator();
        CSVRecord first = fetch();
        if (first == null) {
            close();
            throw new ImportException(ImportException.Reason.EMPTY_FILE, name + " is empty; expected a header row and contacts");
        }
        List<String> h = new ArrayList<>();
        first.forEach(h::add);
        this.header = List.copyOf(h);
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public SourceRow next() {
        CSVRecord r = fetch();
        if (r == null) {
            return null;
        }
        List<String> cells = new ArrayList<>(r.size());
        r.forEach(cells::add);
        return new SourceRow(r.getRecordNumber(), cells);
    }

    private CSVRecord fetch() {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {
            throw translate(e.getCause());
        } catch (IllegalStateException e) {
            // commons-csv reports broken quoting as IllegalStateException wrapping an IOException
            throw e.getCause() instanceof IOException ? translate((IOException) e.getCause())
                    : new ImportException(ImportException.Reason.UNREADABLE, name + ": " + e.getMessage(), e);
        }
    }

    private ImportException translate(IOException e) {
        long row = parser.getRecordNumber() + 1;
        if (e instanceof CharacterCodingException) {
            return new ImportException(ImportException.Reason.BAD_ENCODING, name + " row " + row + " is not valid "
                    + "UTF-8 though the file starts as UTF-8; save the whole file as UTF-8 or Windows-1251", e);
        }
        return new ImportException(ImportException.Reason.UNREADABLE, name + " row " + row + ": " + e.getMessage(), e);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": close failed", e);
        }
    }
}

package io.outdial.dialer.csv;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The formula rule of every CSV export, and rows printed whole or cut as one valid CSV line. */
class CsvCellsTest {
    @Test
    void cellsASpreadsheetWouldRunAreQuotedAndPhoneNumbersAreKept() {
        assertThat(CsvCells.neutralise("=HYPERLINK(\"http://x\")")).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(CsvCells.neutralise("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvCells.neutralise("+cmd|' /C calc'!A0")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(CsvCells.neutralise("-1+A1")).isEqualTo("'-1+A1");
        assertThat(CsvCells.neutralise("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.neutralise("\r=1")).isEqualTo("'\r=1");
        assertThat(CsvCells.neutralise("+")).isEqualTo("'+");
        for (String phone : List.of("+380501234567", "+1 (555) 010-2000", "+1 55", "-12", "+7.495.123")) {
            assertThat(CsvCells.neutralise(phone)).as(phone).isEqualTo(phone);
        }
        for (String plain : List.of("", "Olena", "a=b", "1+1", " =x")) {
            assertThat(CsvCells.neutralise(plain)).isEqualTo(plain);
        }
        assertThat(CsvCells.neutralise((String) null)).isNull();
    }

    @Test
    void aRowIsOneCsvLineWholeOrCutAtTheLimit() throws Exception {
        List<String> cells = List.of("a,b", "say \"hi\"", "line\nbreak", " edge ", "", "#x", "plain");
        String whole = CsvCells.line(cells, 10_000);
        assertThat(parse(whole)).isEqualTo(cells);

        List<String> wide = new ArrayList<>(Collections.nCopies(49_000, "x\"y"));
        String cut = CsvCells.line(wide, 8000);
        assertThat(cut.length()).isLessThanOrEqualTo(8000);
        List<String> back = parse(cut);
        assertThat(back.subList(0, back.size() - 1)).allMatch("x\"y"::equals);
        assertThat("x\"y").startsWith(back.get(back.size() - 1));
        assertThat(parse(CsvCells.line(List.of(""), 10))).isEqualTo(List.of(""));
        assertThat(CsvCells.line(List.of("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"), 5)).isEqualTo("\"\uD83D\uDE00\"");
    }

    private static List<String> parse(String line) throws Exception {
        List<String> out = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(line))) {
            r.forEach(out::add);
        }
        return out;
    }
}

package io.outdial.dialer.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What every CSV the node writes does to its cells (results, rejected rows, stop-list exports): a cell a spreadsheet
 * would run as a formula is neutralised, and rows are printed in time linear in their size.
 *
 * <p>A cell that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a single
 * quote in front ({@code =HYPERLINK(...)} becomes {@code '=HYPERLINK(...)}), except a phone number: a value of
 * digits, spaces and {@code + - ( ) . /} only, with at least one digit (E.164 {@code +33612345678}, or a number as
 * typed, {@code +1 (555) 010-2000}, even one an import refused). Without letters, {@code =}, {@code @}, {@code !} or
 * {@code |} a spreadsheet cannot call a function, follow a reference or start a program from it; it is kept as it is
 * so that exported numbers can be dialled and imported again.
 */
public final class CsvCells {
    private static final Pattern PHONE = Pattern.compile("[0-9 ()./+-]*[0-9][0-9 ()./+-]*");

    private CsvCells() { }

    /** {@code cell} safe to open in a spreadsheet (see the class comment); null stays null. */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char c = cell.charAt(0);
        boolean risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        if (!risky || PHONE.matcher(cell).matches()) {
            return cell;
        }
        return "'" + cell;
    }

    /** Every cell of {@code cells} neutralised. */
    public static List<String> neutralise(List<String> cells) {
        List<String> out = new ArrayList<>(cells.size());
        for (String c : cells) {
            out.add(neutralise(c));
        }
        return out;
    }

    /** Each value's text ({@code String.valueOf}, null kept) neutralised. */
    public static Object[] neutralise(Object... values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] == null ? null : neutralise(String.valueOf(values[i]));
        }
        return out;
    }

    /**
     * One CSV record (RFC 4180, comma-separated, no line end) of {@code cells}, at most {@code max} characters: the
     * cells that fit whole, then the longest prefix of the next one that fits (never half a surrogate pair). Linear in
     * the number and length of the cells. A null cell prints as an empty one.
     */
    public static String line(List<String> cells, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i) == null ? "" : cells.get(i);
            String sep = i == 0 ? "" : ",";
            String printed = quoted(cell, i == 0 && cells.size() == 1);
            if (out.length() + sep.length() + printed.length() <= max) {
                out.append(sep).append(printed);
                continue;
            }
            // the longest prefix of this cell that still fits, quoted (a cut cell is always quoted: simplest to bound)
            int room = max - out.length() - sep.length() - 2; // two quotes
            StringBuilder part = new StringBuilder();
            for (int k = 0; k < cell.length(); k++) {
                char ch = cell.charAt(k);
                int need = ch == '"' ? 2 : 1;
                if (Character.isHighSurrogate(ch)) {
                    if (k + 1 >= cell.length() || part.length() + 2 > room) {
                        break;
                    }
                    part.append(ch).append(cell.charAt(++k));
                    continue;
                }
                if (part.length() + need > room) {
                    break;
                }
                part.append(ch);
                if (ch == '"') {
                    part.append('"');
                }
            }
            if (room >= 0 && part.length() > 0) {
                out.append(sep).append('"').append(part).append('"');
            }
            break;
        }
        return out.toString();
    }

    /** The cell as printed in a CSV record: quoted when it holds a comma, quote, line break or edge blanks. */
    static String quoted(String cell, boolean alone) {
        boolean quote = alone && cell.isEmpty(); // a record of one empty cell must not read as an empty line
        for (int k = 0; k < cell.length() && !quote; k++) {
            char ch = cell.charAt(k);
            quote = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
        }
        if (!quote && !cell.isEmpty()) {
            quote = Character.isWhitespace(cell.charAt(0)) || Character.isWhitespace(cell.charAt(cell.length() - 1))
                || cell.charAt(0) == '#';
        }
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}

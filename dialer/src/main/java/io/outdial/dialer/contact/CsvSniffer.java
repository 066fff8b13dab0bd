package io.outdial.dialer.contact;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Guesses a CSV's encoding and delimiter from its first bytes. The encoding is decided on every line of the
 * sample: lines that are valid UTF-8 (with letters beyond ASCII) vote UTF-8, lines that are not vote Windows-1251;
 * a file with lines of both kinds is refused naming a row of each (one Windows-1251 row must not garble a UTF-8
 * file), a UTF-8 BOM means UTF-8. UTF-16 and binary content are refused. The delimiter is the most frequent of
 * {@code , ; TAB |} outside quotes in the first line.
 */
final class CsvSniffer {
    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    private CsvSniffer() { }

    /** What the sample says about the file. */
    record Format(Charset charset, int bomLength, char delimiter) { }

    static Format sniff(byte[] sample, int length, String name) {
        if (length == 0) {
            throw new ImportException(ImportException.Reason.EMPTY_FILE, name + " is empty; expected a header row and contacts");
        }
        if (length >= 2 && ((sample[0] == (byte) 0xFF && sample[1] == (byte) 0xFE)
                || (sample[0] == (byte) 0xFE && sample[1] == (byte) 0xFF))) {
            throw new ImportException(ImportException.Reason.BAD_ENCODING, name
                    + " is UTF-16 encoded; save it as UTF-8 (or Windows-1251) CSV");
        }
        int bom = length >= 3 && sample[0] == (byte) 0xEF && sample[1] == (byte) 0xBB && sample[2] == (byte) 0xBF ? 3 : 0;
        for (int i = bom; i < length; i++) {
            if (sample[i] == 0) {
                throw new ImportException(ImportException.Reason.BAD_ENCODING, name + " contains NUL bytes at byte "
                        + i + ": it is not a text CSV (binary, or UTF-16 without BOM); expected UTF-8 or Windows-1251");
            }
        }
        Charset cs = encoding(sample, bom, length, name);
        String text = new String(sample, bom, length - bom, cs);
        return new Format(cs, bom, delimiter(text));
    }

    /** UTF-8 or Windows-1251 by the votes of the sample's lines; a mix is refused. */
    private static Charset encoding(byte[] b, int from, int length, String name) {
        long firstUtf8 = 0;
        long firstOther = 0;
        long row = 1;
        for (int start = from; start < length; row++) {
            int end = start;
            boolean ascii = true;
            while (end < length && b[end] != '\n') {
                ascii &= b[end] >= 0;
                end++;
            }
            if (!ascii) {
                // only the sample's last line may end inside a character (the sample is cut there)
                if (isUtf8(b, start, end, end == length)) {
                    firstUtf8 = firstUtf8 == 0 ? row : firstUtf8;
                } else {
                    firstOther = firstOther == 0 ? row : firstOther;
                }
            }
            start = end + 1;
        }
        if (firstOther > 0 && (firstUtf8 > 0 || from == 3)) {
            throw new ImportException(ImportException.Reason.BAD_ENCODING, name + " mixes encodings: "
                    + (firstUtf8 > 0 ? "row " + firstUtf8 : "its byte order mark") + " is UTF-8 but row " + firstOther
                    + " is not (Windows-1251?); save the whole file in one encoding, UTF-8 preferably");
        }
        return firstOther > 0 ? WINDOWS_1251 : StandardCharsets.UTF_8;
    }

    private static boolean isUtf8(byte[] b, int from, int length, boolean cut) {
        // a multi-byte character may be cut at the end of the sample: drop an incomplete last sequence
        int end = length;
        int lead = end - 1;
        while (cut && lead > from && lead > end - 4 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (cut && lead >= from && (b[lead] & 0xC0) == 0xC0) {
            int need = (b[lead] & 0xE0) == 0xC0 ? 2 : (b[lead] & 0xF0) == 0xE0 ? 3 : 4;
            if (end - lead < need) {
                end = lead;
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, end - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static char delimiter(String text) {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                for (int d = 0; d < DELIMITERS.length; d++) {
                    if (c == DELIMITERS[d]) {
                        counts[d]++;
                    }
                }
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }
}

package io.outdial.dialer.contact;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Guesses a CSV's encoding and delimiter from its first bytes: a UTF-8 BOM or valid UTF-8 means UTF-8,
 * anything else Windows-1251; UTF-16 and binary content are refused. The delimiter is the most frequent of
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
        Charset cs = bom == 3 || isUtf8(sample, bom, length) ? StandardCharsets.UTF_8 : WINDOWS_1251;
        String text = new String(sample, bom, length - bom, cs);
        return new Format(cs, bom, delimiter(text));
    }

    private static boolean isUtf8(byte[] b, int from, int length) {
        // a multi-byte character may be cut at the end of the sample: drop an incomplete last sequence
        int end = length;
        int lead = end - 1;
        while (lead > from && lead > end - 4 && (b[lead] & 0xC0) == 0x80) {
            lead--;
        }
        if (lead >= from && (b[lead] & 0xC0) == 0xC0) {
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

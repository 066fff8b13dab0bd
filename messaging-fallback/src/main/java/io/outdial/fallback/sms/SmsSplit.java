package io.outdial.fallback.sms;

import java.util.ArrayList;
import java.util.List;

/**
 * How a text goes out as SMS: its alphabet and its parts. A part never splits a GSM-7 escape pair or a
 * UTF-16 surrogate pair, as real splitters do, so the count can be one more than plain division gives.
 *
 * @param encoding GSM-7 when every character is in the alphabet, UCS-2 otherwise
 * @param units    septets (GSM-7) or UTF-16 units (UCS-2) of the whole text
 * @param parts    the texts of the parts; one part when it fits a single message
 */
public record SmsSplit(SmsEncoding encoding, int units, List<String> parts) {

    public SmsSplit {
        parts = List.copyOf(parts);
    }

    /** Splits a text. An empty text is one empty part. */
    public static SmsSplit of(String text) {
        SmsEncoding enc = Gsm7.encodable(text) ? SmsEncoding.GSM7 : SmsEncoding.UCS2;
        int total = units(text, enc);
        if (total <= enc.single()) {
            return new SmsSplit(enc, total, List.of(text));
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int w = enc == SmsEncoding.GSM7 ? Gsm7.septets(cp) : Character.charCount(cp);
            if (used + w > enc.perPart()) {
                parts.add(text.substring(start, i));
                start = i;
                used = 0;
            }
            used += w;
            i += Character.charCount(cp);
        }
        parts.add(text.substring(start));
        return new SmsSplit(enc, total, parts);
    }

    /** Number of SMS the text is billed and sent as. */
    public int segments() {
        return parts.size();
    }

    private static int units(String text, SmsEncoding enc) {
        if (enc == SmsEncoding.UCS2) {
            return text.length();
        }
        return text.codePoints().map(Gsm7::septets).sum();
    }
}

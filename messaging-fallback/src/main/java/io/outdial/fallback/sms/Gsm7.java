package io.outdial.fallback.sms;

import java.io.ByteArrayOutputStream;

/**
 * The GSM 03.38 default alphabet and its extension table. Encodes to unpacked septets (one byte per septet),
 * which is what SMPP carries for data_coding 0.
 */
public final class Gsm7 {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** Extension characters and their codes after the escape (0x1B). */
    private static final String EXT_CHARS = "\f^{}\\[~]|€";
    private static final byte[] EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};
    private static final byte ESCAPE = 0x1B;

    private Gsm7() {
    }

    /** Septets this character takes: 1 in the basic set, 2 in the extension table, -1 when not encodable. */
    public static int septets(int codePoint) {
        if (codePoint != ESCAPE && codePoint < 0x10000 && BASIC.indexOf(codePoint) >= 0) {
            return 1;
        }
        return codePoint < 0x10000 && EXT_CHARS.indexOf(codePoint) >= 0 ? 2 : -1;
    }

    /** True when every character is in the basic set or the extension table. */
    public static boolean encodable(String text) {
        return text.codePoints().allMatch(c -> septets(c) > 0);
    }

    /** Unpacked septets of an encodable text. */
    public static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 8);
        text.codePoints().forEach(c -> {
            int basic = c == ESCAPE ? -1 : BASIC.indexOf(c);
            if (basic >= 0) {
                out.write(basic);
                return;
            }
            int ext = EXT_CHARS.indexOf(c);
            if (ext < 0) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(c)
                        + " is not in the GSM-7 alphabet");
            }
            out.write(ESCAPE);
            out.write(EXT_CODES[ext]);
        });
        return out.toByteArray();
    }

    /** Decodes unpacked septets; unknown codes become '?'. */
    public static String decode(byte[] septets) {
        StringBuilder sb = new StringBuilder(septets.length);
        for (int i = 0; i < septets.length; i++) {
            int b = septets[i] & 0x7F;
            if (b == ESCAPE && i + 1 < septets.length) {
                int code = septets[++i] & 0x7F;
                int ext = -1;
                for (int k = 0; k < EXT_CODES.length; k++) {
                    if (EXT_CODES[k] == code) {
                        ext = k;
                    }
                }
                sb.append(ext < 0 ? '?' : EXT_CHARS.charAt(ext));
            } else {
                sb.append(b < BASIC.length() ? BASIC.charAt(b) : '?');
            }
        }
        return sb.toString();
    }
}

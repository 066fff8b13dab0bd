package io.outdial.sandbox.smsc;

/** GSM 03.38 decoding of unpacked septets, as an SMSC does it (kept here: the sandbox shares no code). */
final class Gsm7Text {

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXT = "\f^{}\\[~]|€";
    private static final int[] EXT_CODES = {0x0A, 0x14, 0x28, 0x29, 0x2F, 0x3C, 0x3D, 0x3E, 0x40, 0x65};

    private Gsm7Text() {
    }

    static String decode(byte[] b, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < b.length; i++) {
            int c = b[i] & 0x7F;
            if (c == 0x1B && i + 1 < b.length) {
                int code = b[++i] & 0x7F;
                char out = '?';
                for (int k = 0; k < EXT_CODES.length; k++) {
                    if (EXT_CODES[k] == code) {
                        out = EXT.charAt(k);
                    }
                }
                sb.append(out);
            } else {
                sb.append(BASIC.charAt(c));
            }
        }
        return sb.toString();
    }
}

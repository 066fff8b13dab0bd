package io.outdial.fallback.channel.sms;

import io.outdial.fallback.sms.Gsm7;
import io.outdial.fallback.sms.SmsEncoding;
import io.outdial.fallback.sms.SmsSplit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** short_message bytes of SMS parts (with a concatenation UDH when there are several) and of received texts. */
final class SmsPdus {

    /** esm_class bit: the short message starts with a user data header. */
    static final byte UDHI = 0x40;

    private SmsPdus() {
    }

    /** The bytes of each part: GSM-7 unpacked septets or UTF-16BE, behind a 6-byte UDH when concatenated. */
    static List<byte[]> parts(SmsSplit split, int reference) {
        List<byte[]> out = new ArrayList<>();
        int total = split.segments();
        for (int i = 0; i < total; i++) {
            String part = split.parts().get(i);
            byte[] body = split.encoding() == SmsEncoding.GSM7 ? Gsm7.encode(part)
                    : part.getBytes(StandardCharsets.UTF_16BE);
            if (total == 1) {
                out.add(body);
                continue;
            }
            byte[] pdu = new byte[6 + body.length];
            pdu[0] = 0x05; // UDH length
            pdu[1] = 0x00; // IE: concatenated short messages, 8-bit reference
            pdu[2] = 0x03;
            pdu[3] = (byte) reference;
            pdu[4] = (byte) total;
            pdu[5] = (byte) (i + 1);
            System.arraycopy(body, 0, pdu, 6, body.length);
            out.add(pdu);
        }
        return out;
    }

    /** The text of a received short message. */
    static String text(byte[] shortMessage, byte esmClass, byte dataCoding) {
        byte[] body = shortMessage == null ? new byte[0] : shortMessage;
        if ((esmClass & UDHI) != 0 && body.length > 0) {
            int skip = Math.min(body.length, (body[0] & 0xFF) + 1);
            byte[] rest = new byte[body.length - skip];
            System.arraycopy(body, skip, rest, 0, rest.length);
            body = rest;
        }
        int coding = dataCoding & 0xFF;
        if (coding == 0x08) {
            return new String(body, StandardCharsets.UTF_16BE);
        }
        if (coding == 0x00) {
            return Gsm7.decode(body);
        }
        return new String(body, StandardCharsets.ISO_8859_1);
    }
}

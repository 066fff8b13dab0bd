package io.outdial.fallback.sms;

/**
 * The alphabet an SMS is sent in, with the real concatenation limits: a single GSM-7 message holds 160
 * septets and each part of a concatenated one 153 (a 6-byte UDH takes 7 septets); UCS-2 holds 70 UTF-16
 * units alone and 67 per part.
 */
public enum SmsEncoding {
    /** GSM 03.38 default alphabet, with the extension table costing two septets per character. */
    GSM7(160, 153, (byte) 0x00),
    /** UTF-16 big-endian. */
    UCS2(70, 67, (byte) 0x08);

    private final int single;
    private final int perPart;
    private final byte dataCoding;

    SmsEncoding(int single, int perPart, byte dataCoding) {
        this.single = single;
        this.perPart = perPart;
        this.dataCoding = dataCoding;
    }

    /** Units (septets or UTF-16 units) that fit in one unconcatenated message. */
    public int single() {
        return single;
    }

    /** Units that fit in one part of a concatenated message. */
    public int perPart() {
        return perPart;
    }

    /** The SMPP data_coding value. */
    public byte dataCoding() {
        return dataCoding;
    }
}

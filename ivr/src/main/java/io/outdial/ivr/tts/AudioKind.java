package io.outdial.ivr.tts;

import java.nio.charset.StandardCharsets;

/** Audio container formats recognised by their first bytes, so a wrong upload gets a precise error. */
public enum AudioKind {
    WAV("WAV"), MP3("MP3"), AAC("AAC (ADTS)"), OGG("Ogg (Vorbis/Opus)"), FLAC("FLAC"), MP4("MP4/M4A"),
    AMR("AMR"), AIFF("AIFF"), WEBM("WebM/Matroska"), AU("Sun AU"), RIFF_OTHER("RIFF but not WAVE (e.g. AVI)"),
    UNKNOWN("an unknown format");

    private final String label;

    AudioKind(String label) {
        this.label = label;
    }

    /** Human name used in error messages. */
    public String label() {
        return label;
    }

    /** Guesses the format from the first bytes. */
    public static AudioKind detect(byte[] b) {
        if (b == null || b.length < 4) {
            return UNKNOWN;
        }
        if (ascii(b, 0, "RIFF")) {
            return b.length >= 12 && ascii(b, 8, "WAVE") ? WAV : RIFF_OTHER;
        }
        if (ascii(b, 0, "ID3")) {
            return MP3;
        }
        int b0 = b[0] & 0xFF;
        int b1 = b[1] & 0xFF;
        if (b0 == 0xFF && (b1 & 0xF6) == 0xF0) {
            return AAC;
        }
        if (b0 == 0xFF && (b1 & 0xE0) == 0xE0) {
            return MP3;
        }
        if (ascii(b, 0, "OggS")) {
            return OGG;
        }
        if (ascii(b, 0, "fLaC")) {
            return FLAC;
        }
        if (b.length >= 8 && ascii(b, 4, "ftyp")) {
            return MP4;
        }
        if (ascii(b, 0, "#!AMR")) {
            return AMR;
        }
        if (ascii(b, 0, "FORM")) {
            return AIFF;
        }
        if (b0 == 0x1A && b1 == 0x45 && (b[2] & 0xFF) == 0xDF && (b[3] & 0xFF) == 0xA3) {
            return WEBM;
        }
        if (ascii(b, 0, ".snd")) {
            return AU;
        }
        return UNKNOWN;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        byte[] want = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length < at + want.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (b[at + i] != want[i]) {
                return false;
            }
        }
        return true;
    }
}

package io.outdial.fallback.channel.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures of webhook bodies, hex encoded, compared in constant time. */
public final class Hmac {

    private Hmac() {
    }

    /** The lower-case hex HMAC-SHA256 of the bytes with the secret. */
    public static String sha256Hex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * True when the given hex signature is the HMAC-SHA256 of the bytes; the comparison takes the same time
     * wherever the first difference is. A null or blank signature is false.
     */
    public static boolean verify(String secret, byte[] data, String givenHex) {
        if (givenHex == null || givenHex.isBlank() || secret == null) {
            return false;
        }
        byte[] expected = sha256Hex(secret, data).getBytes(StandardCharsets.US_ASCII);
        byte[] given = givenHex.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}

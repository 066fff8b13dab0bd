package io.outdial.dialer.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The secrets of the API and how they are kept. Passwords are chosen by people, so they are stored as BCrypt hashes
 * (slow on purpose: a stolen table cannot be guessed through quickly). Tokens and session ids are 256 random bits
 * made here, far beyond any guessing, so a single SHA-256 keeps them as safe at rest and lets each request be
 * checked in microseconds by looking the hash up.
 */
final class Secrets {
    /** BCrypt work factor: 2^11 rounds, a few hundred milliseconds on a worker thread. */
    static final int BCRYPT_COST = 11;
    /** Longest password BCrypt takes into account (bytes of UTF-8). */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_CHARS = 10;
    /** Prefix of API tokens, so a leaked one is easy to recognise in logs and secret scanners. */
    public static final String TOKEN_PREFIX = "odt_";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A hash of nothing anyone knows: checked when the user does not exist, so the answer takes as long. */
    private static final String DUMMY_HASH = BCrypt.hashpw("not a password of anyone", BCrypt.gensalt(BCRYPT_COST));

    private Secrets() {
    }

    /** 256 random bits, URL-safe base64 without padding. */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A new API token: {@code odt_} and 256 random bits. */
    public static String newToken() {
        return TOKEN_PREFIX + random();
    }

    /** SHA-256 of {@code secret} as 64 lower-case hex digits. */
    public static String sha256(String secret) {
        MessageDigest md = SHA256.get(); // digest() leaves it reset for the next call
        byte[] digest = md.digest(secret.getBytes(StandardCharsets.UTF_8));
        byte[] hex = new byte[digest.length * 2]; // by table: HexFormat costs more than the hash on every request
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xF];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xF];
        }
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /**
     * The SHA-256 of a credential presented with a request ({@link #sha256}), remembered for the last one this thread
     * hashed: a client on a keep-alive connection sends the same token with every request, and its hash is then found
     * by one comparison (in constant time: it never tells how much of another's token matched) instead of the hash.
     * It is the hash function's answer kept, not a verification: revocation and expiry are decided after it, from the
     * cache of verifications, on every request. The plain credential stays in memory only until this thread sees
     * another, as the request that carried it does.
     */
    public static String presentedHash(String credential) {
        return presentedHash(credential, 0, credential.length());
    }

    /**
     * {@link #presentedHash(String)} of the credential that is {@code text} from {@code start} to {@code end} (a
     * header value after its scheme): compared in place, so a credential seen before costs no copy of it.
     */
    public static String presentedHash(String text, int start, int end) {
        Presented last = LAST_PRESENTED.get();
        if (last != null && sameChars(last.credential(), text, start, end)) {
            return last.hash();
        }
        String credential = text.substring(start, end);
        String hash = sha256(credential);
        LAST_PRESENTED.set(new Presented(credential, hash));
        return hash;
    }

    private record Presented(String credential, String hash) {
    }

    private static final ThreadLocal<Presented> LAST_PRESENTED = new ThreadLocal<>();

    /** Whether two strings are equal, in a time that depends on their length only (no bytes are copied). */
    static boolean sameChars(String a, String b) {
        return sameChars(a, b, 0, b.length());
    }

    /** Whether {@code a} equals {@code b}'s characters from {@code start} to {@code end}, as {@link #sameChars}. */
    private static boolean sameChars(String a, String b, int start, int end) {
        if (a.length() != end - start) {
            return false;
        }
        int diff = 0;
        for (int i = 0; i < a.length(); i++) {
            diff |= a.charAt(i) ^ b.charAt(start + i);
        }
        return diff == 0;
    }

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** One digest per thread: {@code getInstance} on every request would cost more than the hash itself. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    /** A BCrypt hash of {@code password} (blocking, slow: call it on a worker). */
    public static String hashPassword(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(BCRYPT_COST, RANDOM));
    }

    /** Whether {@code password} matches {@code hash}; with a null hash it still spends the time of one check. */
    public static boolean checkPassword(String password, String hash) {
        if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            BCrypt.checkpw("x", DUMMY_HASH);
            return false;
        }
        if (hash == null) {
            BCrypt.checkpw(password, DUMMY_HASH);
            return false;
        }
        try {
            return BCrypt.checkpw(password, hash);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Equality in constant time (CSRF tokens). */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Null when {@code password} is acceptable, else what is wrong with it. */
    public static String passwordProblem(String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
            return "the password is shorter than " + MIN_PASSWORD_CHARS + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return "the password is longer than " + MAX_PASSWORD_BYTES + " bytes (UTF-8)";
        }
        return null;
    }
}

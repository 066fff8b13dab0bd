package io.outdial.dialer.auth;

import java.io.Serial;
import java.io.Serializable;

/**
 * Cached verifications a node must drop: those of a revoked token ({@link Kind#TOKEN}, key: the token id), of a user
 * whose role, password or existence changed ({@link Kind#USER}, key: the user name), or of one ended session
 * ({@link Kind#SESSION}, key: the SHA-256 of the session cookie). Carried opaque by {@link Evictions}.
 */
record Eviction(Kind kind, String key) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** What {@link #key()} names. */
    enum Kind { TOKEN, USER, SESSION }

    /** For logs: the kind and the key, except a session's (a credential's hash). */
    @Override
    public String toString() {
        return kind + " " + (kind == Kind.SESSION ? "(session)" : key);
    }
}

package io.outdial.dialer.auth;

/**
 * Who made a request: a user signed in with a session cookie, or an API token. Other packages read it through
 * {@link ApiSecurity#callerName} and {@link ApiSecurity#callerRole}.
 *
 * @param name      user name, or the token's name
 * @param role      what it may do
 * @param tokenId   the token's id; -1 for a session
 * @param csrfToken the session's CSRF token; null for a token
 */
record Principal(String name, Role role, long tokenId, String csrfToken) {
    /** Whether the request came with a session cookie (so state changes need the CSRF token). */
    public boolean session() {
        return tokenId < 0;
    }

    /** How the audit log names it: {@code user:alice} or {@code token:ci#3}. */
    public String actor() {
        return session() ? "user:" + name : "token:" + name + "#" + tokenId;
    }
}

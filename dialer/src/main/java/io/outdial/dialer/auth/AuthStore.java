package io.outdial.dialer.auth;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one owner of {@code auth_user}, {@code api_token} and {@code auth_session} (V8). Blocking JDBC: call it on a
 * worker. Only hashes are stored (see {@link Secrets}); the plain token or session id is returned once, at creation.
 */
final class AuthStore {
    private final DataSource ds;
    private final Clock clock;

    public AuthStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** A user of the browser login. */
    public record User(String username, Role role, String passwordHash, Instant createdAt) {
    }

    /** A stored token (never its plain value). */
    public record Token(long id, String name, Role role, String createdBy, Instant createdAt, Instant expiresAt,
                        Instant lastUsedAt, Instant revokedAt) {
        /** Whether it may be used at {@code now}: not revoked and not expired. */
        public boolean usable(Instant now) {
            return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
        }
    }

    /** A created token with its plain value, shown once. */
    public record NewToken(Token token, String plain) {
    }

    /** A login session (never its plain id). */
    public record Session(String hash, String username, Role role, String csrfToken, Instant expiresAt) {
    }

    /** A created session with its plain id (the cookie value). */
    public record NewSession(Session session, String plain) {
    }

    // ---- users ----

    /** Adds a user with {@code password} (kept as its BCrypt hash: slow on purpose); false when the name is taken. */
    public boolean addUser(String username, Role role, String password) {
        String passwordHash = Secrets.hashPassword(password);
        try (Connection c = ds.getConnection()) {
            if (Rows.count(c, "SELECT COUNT(*) FROM auth_user WHERE username = ?", username) > 0) {
                return false;
            }
            Rows.update(c, "INSERT INTO auth_user (username, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                username, role.name(), passwordHash, Rows.utc(clock.instant()));
            return true;
        } catch (SQLException e) {
            throw new StorageException("adding user " + username + " failed", e);
        }
    }

    /**
     * Adds a user with a random password nobody knows, who signs in with one-time links only
     * ({@link ApiSecurity#issueLink}); false when the name is taken.
     */
    public boolean addUserWithRandomPassword(String username, Role role) {
        return addUser(username, role, Secrets.random());
    }

    /**
     * Replaces a user's password (kept as its BCrypt hash) and ends their sessions; false when there is no such
     * user.
     */
    public boolean setPassword(String username, String password) {
        String passwordHash = Secrets.hashPassword(password);
        try (Connection c = ds.getConnection()) {
            int n = Rows.update(c, "UPDATE auth_user SET password_hash = ? WHERE username = ?", passwordHash, username);
            Rows.update(c, "DELETE FROM auth_session WHERE username = ?", username);
            return n > 0;
        } catch (SQLException e) {
            throw new StorageException("setting the password of " + username + " failed", e);
        }
    }

    /**
     * Gives a user another role and ends their sessions (they sign in again under it); false when there is no such
     * user. Refused with an {@link IllegalStateException} when it would leave no admin.
     */
    public boolean setRole(String username, Role role) {
        try {
            return Database.inTransaction(ds, c -> {
                if (role != Role.ADMIN && onlyAdmin(c, username)) {
                    throw new IllegalStateException(username + " is the only admin: make another user admin first");
                }
                int n = Rows.update(c, "UPDATE auth_user SET role = ? WHERE username = ?", role.name(), username);
                Rows.update(c, "DELETE FROM auth_session WHERE username = ?", username);
                return n > 0;
            });
        } catch (SQLException e) {
            throw new StorageException("setting the role of " + username + " failed", e);
        }
    }

    /** Whether {@code username} is an admin and no other (enabled) user is. */
    private static boolean onlyAdmin(Connection c, String username) throws SQLException {
        return Rows.count(c, "SELECT COUNT(*) FROM auth_user WHERE role = ? AND username = ?", Role.ADMIN.name(),
            username) > 0 && Rows.count(c, "SELECT COUNT(*) FROM auth_user WHERE role = ? AND username <> ?"
            + " AND disabled_at IS NULL", Role.ADMIN.name(), username) == 0;
    }

    public Optional<User> user(String username) {
        return Rows.first(ds, "reading user " + username, "SELECT username, role, password_hash, created_at"
            + " FROM auth_user WHERE username = ? AND disabled_at IS NULL", AuthStore::user, username);
    }

    public List<User> users() {
        return Rows.list(ds, "listing users", "SELECT username, role, password_hash, created_at FROM auth_user"
            + " WHERE disabled_at IS NULL ORDER BY username", AuthStore::user);
    }

    /**
     * Removes a user and ends their sessions; false when there was none. Refused with an
     * {@link IllegalStateException} when it would leave no admin.
     */
    public boolean deleteUser(String username) {
        try (Connection c = ds.getConnection()) {
            if (onlyAdmin(c, username)) {
                throw new IllegalStateException(username + " is the only admin: make another user admin first");
            }
            Rows.update(c, "DELETE FROM auth_session WHERE username = ?", username);
            return Rows.update(c, "DELETE FROM auth_user WHERE username = ?", username) > 0;
        } catch (SQLException e) {
            throw new StorageException("deleting user " + username + " failed", e);
        }
    }

    /** Whether any admin user exists (serve tells how to make one when not). */
    public boolean adminExists() {
        return Rows.count(ds, "counting admins", "SELECT COUNT(*) FROM auth_user WHERE role = ?"
            + " AND disabled_at IS NULL", Role.ADMIN.name()) > 0;
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3), Rows.instant(rs, 4));
    }

    // ---- tokens ----

    /** Creates a token; {@code expiresAt} null: it never expires. */
    public NewToken createToken(String name, Role role, String createdBy, Instant expiresAt) {
        String plain = Secrets.newToken();
        Instant now = clock.instant();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO api_token"
            + " (name, role, token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
            Rows.bind(ps, name, role.name(), Secrets.sha256(plain), createdBy, Rows.utc(now),
                expiresAt == null ? null : Rows.utc(expiresAt));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                return new NewToken(new Token(id, name, role, createdBy, now, expiresAt, null, null), plain);
            }
        } catch (SQLException e) {
            throw new StorageException("creating token " + name + " failed", e);
        }
    }

    private static final String TOKEN_COLUMNS = "id, name, role, created_by, created_at, expires_at, last_used_at,"
        + " revoked_at";

    /** The token whose plain value hashes to {@code hash}, usable or not. */
    public Optional<Token> tokenByHash(String hash) {
        return Rows.first(ds, "reading a token", "SELECT " + TOKEN_COLUMNS + " FROM api_token WHERE token_hash = ?",
            AuthStore::token, hash);
    }

    public Optional<Token> token(long id) {
        return Rows.first(ds, "reading token " + id, "SELECT " + TOKEN_COLUMNS + " FROM api_token WHERE id = ?",
            AuthStore::token, id);
    }

    public List<Token> tokens() {
        return Rows.list(ds, "listing tokens", "SELECT " + TOKEN_COLUMNS + " FROM api_token ORDER BY id",
            AuthStore::token);
    }

    /** Revokes a token; false when there is no such token or it was revoked already. */
    public boolean revoke(long id) {
        try (Connection c = ds.getConnection()) {
            return Rows.update(c, "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                Rows.utc(clock.instant()), id) > 0;
        } catch (SQLException e) {
            throw new StorageException("revoking token " + id + " failed", e);
        }
    }

    /** Records when a token was last used. */
    public void touch(long id, Instant at) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "UPDATE api_token SET last_used_at = ? WHERE id = ?", Rows.utc(at), id);
        } catch (SQLException e) {
            throw new StorageException("recording the use of token " + id + " failed", e);
        }
    }

    private static Token token(ResultSet rs) throws SQLException {
        return new Token(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)), rs.getString(4),
            Rows.instant(rs, 5), Rows.instant(rs, 6), Rows.instant(rs, 7), Rows.instant(rs, 8));
    }

    // ---- sessions ----

    /** Starts a session of {@code user} lasting {@code ttl}. */
    public NewSession createSession(User user, Duration ttl) {
        String plain = Secrets.random();
        String csrf = Secrets.random();
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String hash = Secrets.sha256(plain);
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "DELETE FROM auth_session WHERE expires_at < ?", Rows.utc(now));
            Rows.update(c, "INSERT INTO auth_session (session_hash, username, csrf_token, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)", hash, user.username(), csrf, Rows.utc(now), Rows.utc(expires));
        } catch (SQLException e) {
            throw new StorageException("starting a session of " + user.username() + " failed", e);
        }
        return new NewSession(new Session(hash, user.username(), user.role(), csrf, expires), plain);
    }

    /** The session whose id hashes to {@code hash}, with its user's current role, if both exist. */
    public Optional<Session> sessionByHash(String hash) {
        return Rows.first(ds, "reading a session", "SELECT s.session_hash, s.username, u.role, s.csrf_token,"
            + " s.expires_at FROM auth_session s JOIN auth_user u ON u.username = s.username"
            + " WHERE s.session_hash = ? AND u.disabled_at IS NULL", rs -> new Session(rs.getString(1),
            rs.getString(2), Role.valueOf(rs.getString(3)), rs.getString(4), Rows.instant(rs, 5)), hash);
    }

    /** Ends a session. */
    public void deleteSession(String hash) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "DELETE FROM auth_session WHERE session_hash = ?", hash);
        } catch (SQLException e) {
            throw new StorageException("ending a session failed", e);
        }
    }
}

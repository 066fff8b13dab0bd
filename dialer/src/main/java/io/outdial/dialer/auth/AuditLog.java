package io.outdial.dialer.auth;

import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The one owner of {@code audit_log} (V8): who changed what and when. The API writes one entry per successful
 * state-changing request ({@link ApiSecurity}); the command line writes its user and token changes. Blocking JDBC.
 */
final class AuditLog {
    private final DataSource ds;
    private final Clock clock;

    public AuditLog(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** One entry. */
    public record Entry(long id, Instant at, String actor, String action, String target, String detail, int status) {
        public JsonObject toJson() {
            return new JsonObject().put("id", id).put("at", at.toString()).put("actor", actor).put("action", action)
                .put("target", target).put("detail", detail == null ? null : new JsonObject(detail))
                .put("status", status);
        }
    }

    /**
     * Records that {@code actor} did {@code action} (e.g. {@code POST /api/v1/campaigns/{id}/state}) on
     * {@code target} (e.g. {@code /api/v1/campaigns/c1/state}) with {@code detail} (a small JSON object, no secrets).
     */
    public void record(String actor, String action, String target, JsonObject detail, int status) {
        String d = detail == null || detail.isEmpty() ? null : detail.encode();
        if (d != null && d.length() > 2000) {
            d = new JsonObject().put("truncated", true).encode();
        }
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "INSERT INTO audit_log (at, actor, action, target, detail, status)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
                Rows.utc(clock.instant()), cut(actor, 120), cut(action, 200), cut(target, 500), d, status);
        } catch (SQLException e) {
            throw new StorageException("writing the audit log failed", e);
        }
    }

    /** Newest first, {@code limit} entries after skipping {@code offset}. */
    public List<Entry> page(int limit, long offset) {
        return Rows.list(ds, "reading the audit log", "SELECT id, at, actor, action, target, detail, status"
            + " FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", rs -> new Entry(rs.getLong(1), Rows.instant(rs, 2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)), limit, offset);
    }

    public long total() {
        return Rows.count(ds, "counting the audit log", "SELECT COUNT(*) FROM audit_log");
    }

    /** A page as the API answers it. */
    public JsonObject pageJson(int limit, long offset) {
        JsonArray items = new JsonArray();
        page(limit, offset).forEach(e -> items.add(e.toJson()));
        return new JsonObject().put("items", items).put("total", total()).put("limit", limit).put("offset", offset);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

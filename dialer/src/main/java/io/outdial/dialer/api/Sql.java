package io.outdial.dialer.api;

import io.outdial.dialer.storage.StorageException;
import io.outdial.dialer.stoplist.StopListEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The few read queries the API needs that the stores do not offer (pages with totals), and the removal of a draft
 * campaign. Blocking JDBC: run on a worker.
 */
final class Sql {
    private Sql() { }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** One row of {@code campaign} without its definition, for lists. */
    record CampaignRow(String id, String name, String state, int priority, int weight, boolean alwaysActive,
                       Instant startsAt, Instant endsAt, Instant createdAt, Instant updatedAt) { }

    static long count(DataSource ds, String sql, String... params) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("counting failed: " + sql, e);
        }
    }

    static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Campaigns (optionally in one state), oldest first. */
    static List<CampaignRow> campaigns(DataSource ds, String state, int limit, long offset) {
        String sql = "SELECT id, name, state, priority, weight, always_active, starts_at, ends_at, created_at,"
            + " updated_at FROM campaign" + (state == null ? "" : " WHERE state = ?")
            + " ORDER BY created_at, id LIMIT ? OFFSET ?";
        List<CampaignRow> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (state != null) {
                ps.setString(i++, state);
            }
            ps.setInt(i++, limit);
            ps.setLong(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CampaignRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5), rs.getBoolean(6), instant(rs, 7), instant(rs, 8), instant(rs, 9),
                        instant(rs, 10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing campaigns failed", e);
        }
    }

    static long countCampaigns(DataSource ds, String state) {
        return state == null ? count(ds, "SELECT COUNT(*) FROM campaign")
            : count(ds, "SELECT COUNT(*) FROM campaign WHERE state = ?", state);
    }

    /** One page of a stop-list scope ordered by phone. */
    static List<StopListEntry> stopList(DataSource ds, String scope, int limit, long offset) {
        List<StopListEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT scope, phone, reason, source, added_at FROM stop_list WHERE scope = ? ORDER BY phone"
                + " LIMIT ? OFFSET ?")) {
            ps.setString(1, scope);
            ps.setInt(2, limit);
            ps.setLong(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StopListEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        instant(rs, 5)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing stop-list " + scope + " failed", e);
        }
    }

    static java.util.Optional<StopListEntry> stopListEntry(DataSource ds, String scope, String phone) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT scope, phone, reason, source, added_at FROM stop_list WHERE scope = ? AND phone = ?")) {
            ps.setString(1, scope);
            ps.setString(2, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(new StopListEntry(rs.getString(1), rs.getString(2),
                    rs.getString(3), rs.getString(4), instant(rs, 5))) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading stop-list " + scope + " failed", e);
        }
    }

    static long countStopList(DataSource ds, String scope) {
        return count(ds, "SELECT COUNT(*) FROM stop_list WHERE scope = ?", scope);
    }

    /** What {@link #deleteDraft} did. */
    enum DraftDelete { DELETED, NOT_DRAFT, IMPORT_ACTIVE }

    /**
     * Deletes a DRAFT campaign with its contacts, imports, rejected rows and its own stop-list, in one transaction.
     * The campaign row is locked first; an import of it that is QUEUED or RUNNING (touched since
     * {@code importAliveSince}) then refuses the delete. An import starting at the same time locks the same row
     * ({@link ApiImportStore#create}), so it is either seen here or finds no campaign.
     *
     * @return DELETED, NOT_DRAFT when the campaign is not (or no longer) a draft, or IMPORT_ACTIVE
     */
    static DraftDelete deleteDraft(DataSource ds, String id, Instant importAliveSince) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT state FROM campaign WHERE id = ? FOR UPDATE")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || !"DRAFT".equals(rs.getString(1))) {
                            c.rollback();
                            return DraftDelete.NOT_DRAFT;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_import WHERE campaign_id = ?"
                    + " AND state IN ('QUEUED', 'RUNNING') AND updated_at >= ?")) {
                    ps.setString(1, id);
                    ps.setObject(2, OffsetDateTime.ofInstant(importAliveSince, java.time.ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            c.rollback();
                            return DraftDelete.IMPORT_ACTIVE;
                        }
                    }
                }
                int gone;
                try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM campaign WHERE id = ? AND state = 'DRAFT'")) {
                    ps.setString(1, id);
                    gone = ps.executeUpdate();
                }
                if (gone == 0) {
                    c.rollback();
                    return DraftDelete.NOT_DRAFT;
                }
                for (String sql : List.of(
                    "DELETE FROM contact_import_rejection WHERE import_id IN"
                        + " (SELECT id FROM contact_import WHERE campaign_id = ?)",
                    "DELETE FROM contact WHERE campaign_id = ?",
                    "DELETE FROM contact_import WHERE campaign_id = ?",
                    "DELETE FROM api_import WHERE campaign_id = ?",
                    "DELETE FROM stop_list WHERE scope = ?")) {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return DraftDelete.DELETED;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("deleting campaign " + id + " failed", e);
        }
    }
}

package io.outdial.dialer.api;

import io.outdial.dialer.contact.ContactImporter;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * API imports in table {@code api_import} (V5): state and progress of each upload, written while it runs so any
 * node answers a poll. Blocking JDBC: run on a worker.
 *
 * <p>States: {@code QUEUED} (file received, waiting for a worker), {@code RUNNING}, {@code COMPLETED},
 * {@code FAILED}. A QUEUED or RUNNING row whose {@code updated_at} is older than {@link #ABANDONED_AFTER} belongs to
 * a node that stopped: it is read as FAILED (and stored so on the next write of that row).
 */
final class ApiImportStore {
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** A running import touches its row at least every API's heartbeat (20 s); this much silence means dead. */
    public static final Duration ABANDONED_AFTER = Duration.ofSeconds(90);
    public static final String ABANDONED = "abandoned: the node running the import stopped; upload the file again";

    private static final String COLUMNS = "id, campaign_id, source_name, state, bytes, rows_read, rows_imported,"
        + " rows_merged, rows_stop_listed, rows_rejected, contact_import_id, error, created_at, updated_at, finished_at";

    private final DataSource ds;
    private final Clock clock;

    /** The store on {@code ds}; {@code clock} dates the rows and ages abandoned imports. */
    public ApiImportStore(DataSource ds, Clock clock) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One import as the API shows it. */
    public record ApiImport(long id, String campaignId, String source, String state, long bytes, long rowsRead,
                     long imported, long merged, long stopListed, long rejected, Long contactImportId, String error,
                     Instant createdAt, Instant updatedAt, Instant finishedAt) {
        public boolean active() {
            return state.equals("QUEUED") || state.equals("RUNNING");
        }
    }

    /**
     * A QUEUED import of the campaign, in one statement that also checks the campaign still exists (and locks its
     * row, so a draft delete running at the same time either sees this import or makes this insert find nothing).
     *
     * @return the import's id, or empty when the campaign does not exist (any more)
     */
    public OptionalLong create(String campaignId, String source, long bytes, String mapping, String node) {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
            "INSERT INTO api_import (campaign_id, source_name, state, bytes, mapping, node_id, created_at, updated_at)"
                + " SELECT id, ?, 'QUEUED', ?, ?, ?, ?, ? FROM campaign WHERE id = ? FOR UPDATE",
            new String[] {"id"})) {
            ps.setString(1, truncate(source, 300));
            ps.setLong(2, bytes);
            ps.setString(3, truncate(mapping, 4000));
            ps.setString(4, truncate(node, 64));
            ps.setObject(5, utc(now));
            ps.setObject(6, utc(now));
            ps.setString(7, campaignId);
            if (ps.executeUpdate() == 0) {
                return OptionalLong.empty();
            }
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new StorageException("recording the import of " + source + " into " + campaignId + " failed", e);
        }
    }

    public void progress(long id, String state, long read, long imported, long rejected) {
        update("UPDATE api_import SET state = ?, rows_read = ?, rows_imported = ?, rows_rejected = ?, updated_at = ?"
            + " WHERE id = ?", ps -> {
                ps.setString(1, state);
                ps.setLong(2, read);
                ps.setLong(3, imported);
                ps.setLong(4, rejected);
                ps.setObject(5, utc(clock.instant()));
                ps.setLong(6, id);
            });
    }

    public void touch(List<Long> ids) {
        for (long id : ids) {
            update("UPDATE api_import SET updated_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')", ps -> {
                ps.setObject(1, utc(clock.instant()));
                ps.setLong(2, id);
            });
        }
    }

    public void completed(long id, ImportReport r) {
        Instant now = clock.instant();
        update("UPDATE api_import SET state = 'COMPLETED', rows_read = ?, rows_imported = ?, rows_merged = ?,"
            + " rows_stop_listed = ?, rows_rejected = ?, contact_import_id = ?, error = NULL, updated_at = ?,"
            + " finished_at = ? WHERE id = ?", ps -> {
                ps.setLong(1, r.rowsRead());
                ps.setLong(2, r.imported());
                ps.setLong(3, r.merged());
                ps.setLong(4, r.stopListed());
                ps.setLong(5, r.rejected());
                ps.setLong(6, r.importId());
                ps.setObject(7, utc(now));
                ps.setObject(8, utc(now));
                ps.setLong(9, id);
            });
    }

    /**
     * FAILED with the error; the counters go back to zero because nothing of the import was kept. Only a QUEUED or
     * RUNNING import fails: a COMPLETED one (published) stays so.
     */
    public void failed(long id, String error) {
        Instant now = clock.instant();
        update("UPDATE api_import SET state = 'FAILED', rows_imported = 0, rows_merged = 0, rows_stop_listed = 0,"
            + " error = ?, updated_at = ?, finished_at = ? WHERE id = ? AND state IN ('QUEUED', 'RUNNING')", ps -> {
                ps.setString(1, truncate(error, 2000));
                ps.setObject(2, utc(now));
                ps.setObject(3, utc(now));
                ps.setLong(4, id);
            });
    }

    public Optional<ApiImport> get(long id) {
        List<ApiImport> one = query("SELECT " + COLUMNS + " FROM api_import WHERE id = ?", ps -> ps.setLong(1, id));
        return one.stream().findFirst().map(this::checked);
    }

    public List<ApiImport> ofCampaign(String campaignId, int limit, long offset) {
        return query("SELECT " + COLUMNS + " FROM api_import WHERE campaign_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
            ps -> {
                ps.setString(1, campaignId);
                ps.setInt(2, limit);
                ps.setLong(3, offset);
            }).stream().map(this::checked).toList();
    }

    public long countOfCampaign(String campaignId) {
        return Rows.count(ds, "counting API imports", "SELECT COUNT(*) FROM api_import WHERE campaign_id = ?",
            campaignId);
    }

    /** A QUEUED or RUNNING import and the node running it. */
    public record Active(long id, String campaignId, Long contactImportId, String nodeId) { }

    /** Every QUEUED or RUNNING import, whoever runs it. */
    public List<Active> active() {
        List<Active> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, campaign_id,"
            + " contact_import_id, node_id FROM api_import WHERE state IN ('QUEUED', 'RUNNING')");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long cid = rs.getLong(3);
                out.add(new Active(rs.getLong(1), rs.getString(2), rs.wasNull() ? null : cid, rs.getString(4)));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("reading API imports failed", e);
        }
    }

    /** Whether an import into the campaign is queued or running (and not abandoned). */
    public boolean hasActive(String campaignId) {
        return query("SELECT " + COLUMNS + " FROM api_import WHERE campaign_id = ? AND state IN ('QUEUED', 'RUNNING')",
            ps -> ps.setString(1, campaignId)).stream().map(this::checked).anyMatch(ApiImport::active);
    }

    /** A QUEUED/RUNNING row nobody touched for {@link #ABANDONED_AFTER} is FAILED; stored so on read. */
    private ApiImport checked(ApiImport i) {
        if (i.active() && i.updatedAt().plus(ABANDONED_AFTER).isBefore(clock.instant())) {
            failed(i.id(), ABANDONED);
            return new ApiImport(i.id(), i.campaignId(), i.source(), "FAILED", i.bytes(), i.rowsRead(), 0, 0, 0,
                i.rejected(), i.contactImportId(), ABANDONED, i.createdAt(), clock.instant(), clock.instant());
        }
        return i;
    }

    private List<ApiImport> query(String sql, Binder bind) {
        List<ApiImport> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long cid = rs.getLong(11);
                    Long contactImport = rs.wasNull() ? null : cid;
                    out.add(new ApiImport(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                        contactImport, rs.getString(12), Rows.instant(rs, 13), Rows.instant(rs, 14),
                        Rows.instant(rs, 15)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("reading API imports failed", e);
        }
    }

    private void update(String sql, Binder bind) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("updating an API import failed", e);
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    /**
     * Writes the rejected rows of the contact import {@code contactImportId} as CSV: {@code row,reason} followed by
     * the file's own columns.
     */
    public void writeRejectedCsv(long contactImportId, Writer out) {
        ContactImporter.writeRejectedCsv(ds, contactImportId, out);
    }

    public static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}

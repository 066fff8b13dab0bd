package io.outdial.dialer.stoplist;

import io.outdial.dialer.input.Reason;
import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.dialer.contact.NumberSet;
import io.outdial.dialer.contact.PhoneNormalizer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stop-list in table {@code stop_list}. Blocking JDBC: call from a worker, never an event loop. */
public final class JdbcStopList implements StopList {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStopList.class);

    /** Longest reason ({@code stop_list.reason}). */
    public static final int MAX_REASON = 300;

    private final DataSource ds;
    private final Clock clock;
    private final PhoneNormalizer normalizer;

    public JdbcStopList(DataSource ds, Clock clock, PhoneNormalizer normalizer) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    @Override
    public boolean isBlocked(String campaignId, String e164) {
        try (Connection c = ds.getConnection()) {
            return isBlocked(c, campaignId, e164);
        } catch (SQLException e) {
            throw new StorageException("stop-list check of " + e164 + " failed", e);
        }
    }

    @Override
    public boolean isBlocked(Connection c, String campaignId, String e164) {
        String sql = "SELECT 1 FROM stop_list WHERE phone = ? AND scope IN (?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, e164);
            ps.setString(2, GLOBAL);
            ps.setString(3, campaignId == null ? GLOBAL : campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StorageException("stop-list check of " + e164 + " failed", e);
        }
    }

    /**
     * Adds a number (normalised first); adding an existing one keeps the first entry.
     *
     * @return true if it was new
     */
    public boolean add(String scope, String phone, String reason, String source) {
        try (Connection c = ds.getConnection()) {
            return add(c, scope, phone, reason, source);
        } catch (SQLException e) {
            throw new StorageException("stop-list add of " + phone + " to " + scope + " failed", e);
        }
    }

    /** As {@link #add(String, String, String, String)}, on {@code c} inside the caller's transaction. */
    public boolean add(Connection c, String scope, String phone, String reason, String source) {
        String e164 = normalizer.require(phone);
        try {
            boolean added = insertIfAbsent(c, scope, e164, reason, source);
            if (added) {
                LOG.info("stop-list {}: added {} ({}, {})", scope, e164, source, reason);
            }
            return added;
        } catch (SQLException e) {
            throw new StorageException("stop-list add of " + e164 + " to " + scope + " failed", e);
        }
    }

    private boolean insertIfAbsent(Connection c, String scope, String e164, String reason, String source)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM stop_list WHERE scope = ? AND phone = ?")) {
            q.setString(1, scope);
            q.setString(2, e164);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        // inside a transaction (import) a failed statement aborts the whole transaction on PostgreSQL (25P02):
        // the insert runs under a savepoint, so a concurrent add of the same number only undoes this insert
        Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO stop_list (scope, phone, reason, source, added_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, scope);
            ps.setString(2, e164);
            ps.setString(3, reason);
            ps.setString(4, source);
            ps.setObject(5, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
            ps.executeUpdate();
            release(c, sp);
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                if (sp != null) {
                    c.rollback(sp);
                    release(c, sp);
                }
                return false; // a concurrent add won: same outcome
            }
            throw e;
        }
    }

    private static void release(Connection c, Savepoint sp) throws SQLException {
        if (sp != null) {
            c.releaseSavepoint(sp);
        }
    }

    /** Removes a number from one scope; true if it was there. */
    public boolean remove(String scope, String phone) {
        String e164 = normalizer.require(phone);
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM stop_list WHERE scope = ? AND phone = ?")) {
            ps.setString(1, scope);
            ps.setString(2, e164);
            boolean removed = ps.executeUpdate() > 0;
            LOG.info("stop-list {}: removed {} ({})", scope, e164, removed ? "was listed" : "was not listed");
            return removed;
        } catch (SQLException e) {
            throw new StorageException("stop-list remove of " + e164 + " from " + scope + " failed", e);
        }
    }

    /** Entries of a scope ordered by phone. */
    List<StopListEntry> list(String scope) {
        List<StopListEntry> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT scope, phone, reason, source, added_at FROM stop_list WHERE scope = ? ORDER BY phone")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StopListEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("stop-list listing of " + scope + " failed", e);
        }
    }

    /** Global plus campaign numbers as a compact set, for checking a whole import in memory. */
    public NumberSet snapshot(String campaignId) {
        NumberSet set = new NumberSet();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT phone FROM stop_list WHERE scope IN (?, ?)")) {
            ps.setString(1, GLOBAL);
            ps.setString(2, campaignId == null ? GLOBAL : campaignId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    set.add(rs.getString(1));
                }
            }
            return set;
        } catch (SQLException e) {
            throw new StorageException("stop-list snapshot for " + campaignId + " failed", e);
        }
    }

    /**
     * Imports numbers from a CSV whose first column is the phone (a header row is skipped if its first
     * cell is not a number) and optional second column the reason. All or nothing.
     *
     * @return numbers newly added
     * @throws InvalidInput naming the row of the first bad number ({@code [row].phone}); nothing is added then
     */
    public int importCsv(String scope, Reader csv, String sourceName) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            int added = 0;
            try {
                for (CSVRecord r : CSVFormat.DEFAULT.builder().setTrim(true).get().parse(csv)) {
                    String cell = r.get(0);
                    if (r.getRecordNumber() == 1 && !normalizer.normalize(cell).ok() && !cell.matches(".*\\d.*")) {
                        continue;
                    }
                    PhoneNormalizer.Result n = normalizer.normalize(cell);
                    if (!n.ok()) {
                        throw InvalidInput.of(sourceName, "[" + r.getRecordNumber() + "].phone", cell, "a phone number",
                                Reason.INVALID_FORMAT, sourceName + " row " + r.getRecordNumber() + ": phone " + n.error());
                    }
                    String reason = r.size() > 1 ? r.get(1) : null;
                    if (reason != null && reason.length() > MAX_REASON) {
                        throw InvalidInput.of(sourceName, "[" + r.getRecordNumber() + "].reason", reason, "at most "
                                + MAX_REASON + " characters", Reason.OUT_OF_RANGE, sourceName + " row "
                                + r.getRecordNumber() + ": reason is " + reason.length() + " characters; at most "
                                + MAX_REASON);
                    }
                    if (reason != null && reason.indexOf('\u0000') >= 0) {
                        throw InvalidInput.of(sourceName, "[" + r.getRecordNumber() + "].reason", null,
                                "no NUL character", Reason.INVALID_FORMAT, sourceName + " row " + r.getRecordNumber()
                                + ": reason contains a NUL character");
                    }
                    if (insertIfAbsent(c, scope, n.e164(), reason, "import")) {
                        added++;
                    }
                }
                c.commit();
                LOG.info("stop-list {}: imported {} new numbers from {}", scope, added, sourceName);
                return added;
            } catch (RuntimeException | SQLException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("stop-list import of " + sourceName + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": cannot read the stop-list CSV", e);
        }
    }

    /** Writes a scope as CSV {@code phone,reason,source,added_at}. */
    public void exportCsv(String scope, Writer out) {
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT.builder()
                .setHeader("phone", "reason", "source", "added_at").get())) {
            for (StopListEntry e : list(scope)) {
                p.printRecord(io.outdial.dialer.csv.CsvCells.neutralise(e.phone(), e.reason(), e.source(), e.addedAt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("stop-list export of " + scope + " failed", e);
        }
    }

    /**
     * One page of a stop-list scope ordered by phone, each entry as
     * {@code {"scope", "phone", "reason", "source", "addedAt"}} (ISO-8601 time; a missing reason is null).
     */
    public List<JsonObject> page(String scope, int limit, long offset) {
        return Rows.list(ds, "listing stop-list " + scope, "SELECT scope, phone, reason, source, added_at FROM stop_list"
            + " WHERE scope = ? ORDER BY phone LIMIT ? OFFSET ?", rs -> entry(rs).json(), scope, limit, offset);
    }

    /** The entry of {@code phone} (E.164) in {@code scope}, if listed there, as in {@link #page}. */
    public java.util.Optional<JsonObject> find(String scope, String phone) {
        return Rows.first(ds, "reading stop-list " + scope, "SELECT scope, phone, reason, source, added_at"
            + " FROM stop_list WHERE scope = ? AND phone = ?", rs -> entry(rs).json(), scope, phone);
    }

    /**
     * Every scope's entry of {@code phone} (E.164): the global list ({@link StopList#GLOBAL}) and each campaign's,
     * ordered by scope, as in {@link #page}.
     */
    public List<JsonObject> entriesOf(String phone) {
        return Rows.list(ds, "reading the stop-list entries of " + phone, "SELECT scope, phone, reason, source,"
            + " added_at FROM stop_list WHERE phone = ? ORDER BY scope", rs -> entry(rs).json(), phone);
    }

    /** How many numbers {@code scope} lists. */
    public long count(String scope) {
        return Rows.count(ds, "counting stop-list " + scope, "SELECT COUNT(*) FROM stop_list WHERE scope = ?", scope);
    }

    private static StopListEntry entry(ResultSet rs) throws SQLException {
        return new StopListEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            Rows.instant(rs, 5));
    }
}

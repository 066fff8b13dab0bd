package io.outdial.dialer.contact;

import io.outdial.dialer.csv.CsvCells;
import io.outdial.dialer.storage.StorageException;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Import bookkeeping ({@code contact_import}) and rejected rows ({@code contact_import_rejection}). */
final class JdbcImportStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcImportStore.class);
    static final String INSERT_REJECTION =
            "INSERT INTO contact_import_rejection (import_id, row_no, reason, raw_row) VALUES (?, ?, ?, ?)";

    private final DataSource ds;

    public JdbcImportStore(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** An import's stored state: IMPORTING, PUBLISHED or FAILED (with the error). */
    public record ImportStatus(long id, String campaignId, String source, String state, long rowsRead,
                               long imported, long merged, long stopListed, long rejected, String error) { }

    long begin(String campaignId, String source, Instant now) {
        String sql = "INSERT INTO contact_import (campaign_id, source_name, state, started_at) VALUES (?, ?, 'IMPORTING', ?)";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
            ps.setString(1, campaignId);
            ps.setString(2, text(source, 300));
            ps.setObject(3, ContactRows.utc(now));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("starting the import of " + source + " failed", e);
        }
    }

    /**
     * Marks a finished import; runs inside the import's transaction so it publishes with the contacts. Only an import
     * still IMPORTING is published: one failed meanwhile, or removed with its draft campaign, is not brought back.
     *
     * @throws IllegalStateException when the import is no longer IMPORTING (the caller fails the import)
     */
    static void publish(Connection c, long id, ImportReport r, List<String> header, Instant now) throws SQLException {
        String sql = "UPDATE contact_import SET state = 'PUBLISHED', rows_read = ?, rows_imported = ?, rows_merged = ?,"
                + " rows_stop_listed = ?, rows_rejected = ?, header_row = ?, finished_at = ? WHERE id = ?"
                + " AND state = 'IMPORTING'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, r.rowsRead());
            ps.setLong(2, r.imported());
            ps.setLong(3, r.merged());
            ps.setLong(4, r.stopListed());
            ps.setLong(5, r.rejected());
            ps.setString(6, text(csvLine(header, 8000), 8000));
            ps.setObject(7, ContactRows.utc(now));
            ps.setLong(8, id);
            if (ps.executeUpdate() == 0) {
                throw new IllegalStateException("import " + id + " is no longer importing (failed, or its campaign"
                        + " was deleted); nothing of it is kept", null);
            }
        }
    }

    /**
     * Marks an import FAILED (its rows are invisible from then on), then deletes its rows and rejections.
     * A failing delete is logged: the rows stay invisible and {@code cleanupAbandoned} does not need them.
     */
    void fail(long id, String campaignId, String error, Instant now) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE contact_import SET state = 'FAILED', error = ?, finished_at = ? WHERE id = ?")) {
                ps.setString(1, text(error, 2000));
                ps.setObject(2, ContactRows.utc(now));
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM contact WHERE campaign_id = ? AND import_id = ?");
                 PreparedStatement rej = c.prepareStatement("DELETE FROM contact_import_rejection WHERE import_id = ?")) {
                del.setString(1, campaignId);
                del.setLong(2, id);
                int rows = del.executeUpdate();
                rej.setLong(1, id);
                rej.executeUpdate();
                LOG.info("import {}: failed, {} invisible contacts deleted", id, rows);
            } catch (SQLException e) {
                LOG.warn("import {}: failed; deleting its invisible contacts failed too: {}", id, e.getMessage());
            }
        } catch (SQLException e) {
            throw new StorageException("marking import " + id + " failed did not work", e);
        }
    }

    /** Ids of imports still IMPORTING that started before {@code startedBefore}. */
    List<Long> importing(Instant startedBefore) {
        List<Long> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM contact_import WHERE state = 'IMPORTING' AND started_at < ?")) {
            ps.setObject(1, ContactRows.utc(startedBefore));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing unfinished imports failed", e);
        }
    }

    public ImportStatus status(long id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, campaign_id, source_name, state, rows_read, rows_imported, rows_merged, rows_stop_listed,"
                        + " rows_rejected, error FROM contact_import WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("import " + id + " does not exist");
                }
                return new ImportStatus(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10));
            }
        } catch (SQLException e) {
            throw new StorageException("reading import " + id + " failed", e);
        }
    }

    /** Writes the rejected rows as CSV: {@code row,reason} followed by the file's own columns. */
    public void writeRejectedCsv(long importId, Writer out) {
        List<String> header = new ArrayList<>(List.of("row", "reason"));
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT header_row FROM contact_import WHERE id = ?")) {
                ps.setLong(1, importId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("import " + importId + " does not exist");
                    }
                    header.addAll(parseLine(rs.getString(1)));
                }
            }
            CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT);
            p.printRecord(CsvCells.neutralise(header));
            try (PreparedStatement ps = c.prepareStatement("SELECT row_no, reason, raw_row FROM contact_import_rejection"
                    + " WHERE import_id = ? ORDER BY row_no")) {
                ps.setLong(1, importId);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<String> row = new ArrayList<>(List.of(String.valueOf(rs.getLong(1)), rs.getString(2)));
                        row.addAll(parseLine(rs.getString(3)));
                        p.printRecord(CsvCells.neutralise(row));
                    }
                }
            }
            p.flush();
        } catch (SQLException e) {
            throw new StorageException("reading rejected rows of import " + importId + " failed", e);
        } catch (IOException e) {
            throw new UncheckedIOException("writing rejected rows of import " + importId + " failed", e);
        }
    }

    /**
     * A row as one CSV record of at most {@code max} characters (cells that do not fit are cut or left out), linear in
     * the row's size ({@link CsvCells#line}).
     */
    static String csvLine(List<String> cells, int max) {
        return CsvCells.line(cells, max);
    }

    /** The first {@code n} characters of {@code s}, one less when that would split a surrogate pair. */
    private static String prefix(String s, int n) {
        return n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1)) ? s.substring(0, n - 1)
                : s.substring(0, n);
    }

    /**
     * The cells of a stored row. Text that is not one CSV line (a row stored cut inside a quoted cell by an older
     * version) comes back whole as a single cell rather than failing the download.
     */
    private static List<String> parseLine(String line) {
        List<String> out = new ArrayList<>();
        if (line == null || line.isEmpty()) {
            return out;
        }
        try {
            for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(line))) {
                r.forEach(out::add);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return new ArrayList<>(List.of(line));
        }
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** {@code s} as a column value: without NUL characters (PostgreSQL refuses them in text), at most max long. */
    static String text(String s, int max) {
        String t = s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "");
        return t == null || t.length() <= max ? t : prefix(t, max);
    }
}

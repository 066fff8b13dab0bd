package io.outdial.dialer.contact;

import io.outdial.dialer.storage.StorageException;
import io.outdial.dialer.attempt.ContactResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a CSV or XLSX contact file into a campaign, streamed row by row with batched inserts committed
 * batch by batch under the import's id; they stay invisible until the import row is published in the last
 * commit, so the contacts appear all at once when the file is done, and a failed import's rows are never
 * seen (and are deleted).
 * Blocking: run on a worker. Each bad row is rejected with its row number and reason and kept for download.
 */
public final class ContactImporter {
    private static final Logger LOG = LoggerFactory.getLogger(ContactImporter.class);
    /** Longest CSV line accepted by default (characters). */
    public static final int DEFAULT_MAX_LINE = 100_000;

    private final DataSource ds;
    private final Clock clock;
    private final PhoneNormalizer normalizer;
    private final JdbcImportStore imports;
    private final int batchSize;
    private final int maxLineChars;
    private final Executor readers;
    private final ImportLimits limits;

    /** @param readers the node's import pool: one of its threads reads each file ahead of the database writer */
    public ContactImporter(DataSource ds, Clock clock, PhoneNormalizer normalizer, Executor readers, int batchSize,
                           int maxLineChars) {
        this(ds, clock, normalizer, readers, batchSize, maxLineChars, ImportLimits.DEFAULTS);
    }

    /** @param limits what one file may hold (rows, rejected rows, columns, cell size, XLSX compression ratio) */
    public ContactImporter(DataSource ds, Clock clock, PhoneNormalizer normalizer, Executor readers, int batchSize,
                           int maxLineChars, ImportLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ds = Objects.requireNonNull(ds, "ds");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
        this.imports = new JdbcImportStore(ds);
        if (batchSize < 1 || maxLineChars < 16) {
            throw new IllegalArgumentException("import batchSize " + batchSize + " / maxLineChars " + maxLineChars
                    + " too small; expected >= 1 / >= 16");
        }
        this.batchSize = batchSize;
        this.maxLineChars = maxLineChars;
    }

    public ContactImporter(DataSource ds, Clock clock, PhoneNormalizer normalizer, Executor readers) {
        this(ds, clock, normalizer, readers, 1000, DEFAULT_MAX_LINE);
    }

    public ContactImporter(DataSource ds, Clock clock, PhoneNormalizer normalizer, Executor readers,
                           ImportLimits limits) {
        this(ds, clock, normalizer, readers, 1000, DEFAULT_MAX_LINE, limits);
    }

    /**
     * Imports {@code file} into {@code campaignId}.
     *
     * @param mapping the column mapping, or null to guess it from the header ({@link ColumnMapping#auto})
     * @param blocked stop-listed numbers (global and campaign); such contacts are created closed
     * @param progress called after each batch
     * @throws ImportException when the file as a whole is unusable; nothing is written then
     */
    public ImportReport importFile(String campaignId, Path file, ColumnMapping mapping, NumberSet blocked,
                                   ImportProgress progress) {
        Instant started = clock.instant();
        try (RowSource src = RowSource.open(file, maxLineChars, limits)) {
            ColumnMapping m = mapping != null ? mapping : ColumnMapping.auto(src.header());
            ColumnMapping.Resolved cols = m.resolve(src.header(), src.name());
            long importId = imports.begin(campaignId, src.name(), started);
            try {
                ImportReport r = run(importId, campaignId, src, cols, blocked, progress, started);
                LOG.info("import {} of {} into campaign {}: {} rows, {} imported, {} merged, {} stop-listed, {} rejected",
                        importId, src.name(), campaignId, r.rowsRead(), r.imported(), r.merged(), r.stopListed(),
                        r.rejected());
                return r;
            } catch (RuntimeException | Error e) {
                // an Error too (out of memory, a stack overflow): the import ends FAILED with the reason, never
                // IMPORTING forever
                imports.fail(importId, campaignId, e.getMessage() == null ? e.toString() : e.getMessage(),
                        clock.instant());
                LOG.warn("import {} of {} into campaign {} failed, nothing written: {}", importId, src.name(),
                        campaignId, e.getMessage());
                throw e;
            }
        }
    }

    /**
     * Fails imports left IMPORTING by a node that stopped (started before {@code startedBefore}) and deletes
     * their invisible rows. Call once at start-up.
     *
     * @return how many imports were cleaned
     */
    public int cleanupAbandoned(Instant startedBefore) {
        return cleanupAbandoned(startedBefore, "abandoned: the node stopped during the import");
    }

    /**
     * Fails import {@code importId} of {@code campaignId} if it is still IMPORTING (its node died) and deletes its
     * invisible rows.
     *
     * @return whether it was IMPORTING
     */
    public boolean abandon(long importId, String campaignId, String why) {
        if (!"IMPORTING".equals(imports.status(importId).state())) {
            return false;
        }
        imports.fail(importId, campaignId, why, clock.instant());
        return true;
    }

    /**
     * Writes the rejected rows of import {@code importId} as CSV: {@code row,reason} followed by the file's own
     * columns. Blocking JDBC.
     */
    public static void writeRejectedCsv(DataSource ds, long importId, java.io.Writer out) {
        new JdbcImportStore(ds).writeRejectedCsv(importId, out);
    }

    private int cleanupAbandoned(Instant startedBefore, String why) {
        List<Long> stale = imports.importing(startedBefore);
        for (long id : stale) {
            String campaign = imports.status(id).campaignId();
            imports.fail(id, campaign, why, clock.instant());
        }
        return stale.size();
    }

    private ImportReport run(long importId, String campaignId, RowSource src, ColumnMapping.Resolved cols,
                             NumberSet blocked, ImportProgress progress, Instant started) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement contacts = c.prepareStatement(JdbcContactStore.INSERT);
                 PreparedStatement rejections = c.prepareStatement(JdbcImportStore.INSERT_REJECTION)) {
                Counters n = new Counters();
                NumberSet seen = existingNumbers(c, campaignId);
                RowPreparer preparer = new RowPreparer(normalizer, cols, blocked);
                try (PreparedRows rows = new PreparedRows(src, preparer, batchSize, readers)) {
                    for (List<RowPreparer.Prepared> chunk = rows.nextChunk(); chunk != null; chunk = rows.nextChunk()) {
                        for (RowPreparer.Prepared p : chunk) {
                            n.read++;
                            if (n.read > limits.maxRows()) {
                                throw new ImportException(ImportException.Reason.TOO_MANY_ROWS, src.name()
                                        + " has more than " + limits.maxRows() + " rows, the most one import accepts"
                                        + " (imports.maxRows); split the file");
                            }
                            if (p.problem() != null) {
                                if (n.rejected >= limits.maxRejectedRows()) {
                                    throw new ImportException(ImportException.Reason.TOO_MANY_REJECTED, src.name()
                                            + ": more than " + limits.maxRejectedRows() + " rows rejected (the most one"
                                            + " import accepts, imports.maxRejectedRows), the last at row "
                                            + p.row().rowNumber() + ": " + p.problem() + "; fix the file or its"
                                            + " column mapping");
                                }
                                reject(rejections, importId, src.name(), p, n);
                            } else {
                                write(contacts, importId, campaignId, p, seen, n);
                            }
                        }
                        contacts.executeBatch();
                        rejections.executeBatch();
                        // committed but invisible until the import row is PUBLISHED (JdbcContactStore.VISIBLE):
                        // one long transaction made H2 twice as slow and its heap grow with the file
                        c.commit();
                        progress.onProgress(n.read, n.imported, n.rejected);
                    }
                }
                if (n.read == 0) {
                    throw new ImportException(ImportException.Reason.EMPTY_FILE, src.name()
                            + " has a header but no contact rows");
                }
                ImportReport report = new ImportReport(importId, src.name(), n.read, n.imported, n.merged,
                        n.stopListed, n.rejected, n.first, Duration.between(started, clock.instant()));
                JdbcImportStore.publish(c, importId, report, src.header(), clock.instant());
                c.commit();
                progress.onProgress(n.read, n.imported, n.rejected);
                return report;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("importing " + src.name() + " into campaign " + campaignId + " failed", e);
        }
    }

    private static final class Counters {
        long read;
        long imported;
        long merged;
        long stopListed;
        long rejected;
        final List<ImportReport.Rejection> first = new ArrayList<>();
    }

    private static void reject(PreparedStatement rejections, long importId, String name, RowPreparer.Prepared p,
                               Counters n) throws SQLException {
        n.rejected++;
        String reason = name + " row " + p.row().rowNumber() + ": " + p.problem();
        if (n.first.size() < 100) {
            n.first.add(new ImportReport.Rejection(p.row().rowNumber(), reason));
        }
        rejections.setLong(1, importId);
        rejections.setLong(2, p.row().rowNumber());
        rejections.setString(3, JdbcImportStore.text(reason, 1000));
        rejections.setString(4, JdbcImportStore.text(JdbcImportStore.csvLine(p.row().cells(), 8000), 8000));
        rejections.addBatch();
    }

    /** Adds the row's contact to the batch unless its first number is already known (merged). */
    private void write(PreparedStatement contacts, long importId, String campaignId, RowPreparer.Prepared p,
                       NumberSet seen, Counters n) throws SQLException {
        if (!seen.add(p.phones().get(0).e164())) {
            n.merged++;
            return;
        }
        JdbcContactStore.addToBatch(contacts, new JdbcContactStore.NewContact(campaignId, p.extId(),
                new PhoneSet(p.phones()), p.zone(), p.fields(),
                p.stopListed() ? ContactState.CLOSED : ContactState.WAITING,
                p.stopListed() ? ContactResult.STOP_LISTED : null, clock.instant()), importId, p.fieldsJson());
        n.imported++;
        if (p.stopListed()) {
            n.stopListed++;
        }
    }

    private static NumberSet existingNumbers(Connection c, String campaignId) throws SQLException {
        NumberSet set = new NumberSet();
        try (PreparedStatement ps = c.prepareStatement("SELECT phone FROM contact WHERE campaign_id = ?"
                + JdbcContactStore.VISIBLE)) {
            ps.setString(1, campaignId);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    set.add(rs.getString(1));
                }
            }
        }
        return set;
    }
}

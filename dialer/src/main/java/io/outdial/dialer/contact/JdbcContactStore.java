package io.outdial.dialer.contact;

import io.outdial.dialer.storage.StorageException;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactAttempts;
import io.outdial.dialer.attempt.ContactResult;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Contacts in table {@code contact}: batched inserts, the scheduler's due pick with claim by state
 * transition, attempt results and counts. Blocking JDBC over a {@link DataSource}: run on a worker.
 */
public final class JdbcContactStore {
    private static final String COLUMNS = ContactRows.COLUMNS;
    /**
     * Contacts of an import that is not published yet (still running, failed or abandoned) are invisible:
     * an import commits batch by batch and becomes visible at once when its row turns PUBLISHED. A condition on
     * table {@code contact} for the WHERE clause of every query that reads a campaign's contacts.
     */
    public static final String VISIBLE = " AND NOT EXISTS (SELECT 1 FROM contact_import i WHERE i.id = contact.import_id"
            + " AND i.state <> 'PUBLISHED')";
    static final String INSERT = "INSERT INTO contact (campaign_id, import_id, ext_id, phone, phones, phone_failures,"
            + " time_zone, fields, state, result, result_reason, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource ds;

    public JdbcContactStore(DataSource ds) {
        this.ds = Objects.requireNonNull(ds, "ds");
    }

    /** A contact to insert. {@code result} is null unless it starts closed (e.g. stop-listed). */
    public record NewContact(String campaignId, String extId, PhoneSet phones, String timeZone,
                             Map<String, String> fields, ContactState state, ContactResult result,
                             Instant nextAttemptAt) {
        public NewContact {
            Objects.requireNonNull(campaignId, "campaignId");
            Objects.requireNonNull(phones, "phones");
            fields = Map.copyOf(fields);
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        }
    }

    /** Adds one batch on the caller's connection (its transaction decides when it becomes visible). */
    public static void addToBatch(PreparedStatement ps, NewContact c, Long importId) throws SQLException {
        addToBatch(ps, c, importId, c.fields().isEmpty() ? null : ContactRows.toJson(c.fields()));
    }

    /** As above with the custom fields already as JSON (the import prepares it on another thread). */
    static void addToBatch(PreparedStatement ps, NewContact c, Long importId, String fieldsJson) throws SQLException {
        ps.setString(1, c.campaignId());
        if (importId == null) {
            ps.setNull(2, Types.BIGINT);
        } else {
            ps.setLong(2, importId);
        }
        ps.setString(3, c.extId());
        ps.setString(4, c.phones().primary());
        ps.setString(5, c.phones().encodeNumbers());
        ps.setString(6, c.phones().encodeState());
        ps.setString(7, c.timeZone());
        ps.setString(8, fieldsJson);
        ps.setString(9, c.state().name());
        ps.setString(10, c.result() == null ? null : c.result().name());
        ps.setString(11, c.result() == ContactResult.STOP_LISTED ? "stop-listed at import" : null);
        ps.setObject(12, ContactRows.utc(c.nextAttemptAt()));
        ps.addBatch();
    }

    /** Inserts contacts in one transaction (tests and small API additions; imports use {@link #addToBatch}). */
    public void insertAll(List<NewContact> contacts) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (NewContact n : contacts) {
                    addToBatch(ps, n, null);
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("inserting " + contacts.size() + " contacts failed", e);
        }
    }

    public Optional<Contact> get(long id) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM contact WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(ContactRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading contact " + id + " failed", e);
        }
    }

    /**
     * Picks up to {@code limit} due contacts through the index and claims them (WAITING to DIALING). A
     * contact claimed by a concurrent picker is skipped, so no contact is ever handed out twice.
     *
     * <p>Three statements in one transaction whatever the limit (per 1,000 contacts): the indexed SELECT, one UPDATE claiming
     * the selected ids that are still WAITING with a token unique to this pick, and a SELECT of the ids
     * that carry the token (portable: no RETURNING).
     */
    public List<Contact> pickDue(String campaignId, Instant now, int limit, String owner) {
        if (limit < 1) {
            throw new IllegalArgumentException("pick limit " + limit + " is below 1");
        }
        String select = "SELECT " + COLUMNS + " FROM contact WHERE campaign_id = ? AND state = 'WAITING'"
                + " AND next_attempt_at <= ?" + VISIBLE
                // the full index key in ORDER BY lets H2 read the index in order and stop at the limit
                // (ORDER BY next_attempt_at alone made H2 sort every due row); same plan on PostgreSQL
                + " ORDER BY campaign_id, state, next_attempt_at LIMIT ?";
        String token = claimToken(owner);
        try (Connection c = ds.getConnection()) {
            // one transaction: one commit (one WAL flush on PostgreSQL) per pick
            c.setAutoCommit(false);
            try {
                List<Contact> claimed = pickIn(c, select, campaignId, now, limit, token);
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("picking due contacts of campaign " + campaignId + " failed", e);
        }
    }

    private static List<Contact> pickIn(Connection c, String select, String campaignId, Instant now, int limit,
                                        String token) throws SQLException {
        {
            List<Contact> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(select)) {
                ps.setString(1, campaignId);
                ps.setObject(2, ContactRows.utc(now));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        due.add(ContactRows.read(rs));
                    }
                }
            }
            Set<Long> won = new HashSet<>();
            for (int from = 0; from < due.size(); from += CLAIM_CHUNK) {
                List<Contact> part = due.subList(from, Math.min(due.size(), from + CLAIM_CHUNK));
                won.addAll(claim(c, part, now, token));
            }
            List<Contact> claimed = new ArrayList<>();
            for (Contact ct : due) {
                if (won.contains(ct.id())) {
                    claimed.add(ContactRows.withState(ct, ContactState.DIALING));
                }
            }
            return claimed;
        }
    }

    private static final int CLAIM_CHUNK = 1000;
    private static final AtomicLong CLAIMS = new AtomicLong();

    /** {@code owner/n}: identifies one pick (the owner part tells reconciliation which node claimed). */
    private static String claimToken(String owner) {
        String suffix = "/" + Long.toString(System.nanoTime(), 36) + "-" + CLAIMS.incrementAndGet();
        String head = owner.length() > 64 - suffix.length() ? owner.substring(0, 64 - suffix.length()) : owner;
        return head + suffix;
    }

    private static Set<Long> claim(Connection c, List<Contact> part, Instant now, String token)
            throws SQLException {
        String in = String.join(", ", Collections.nCopies(part.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("UPDATE contact SET state = 'DIALING', claimed_at = ?,"
                + " claim_owner = ?, version = version + 1 WHERE state = 'WAITING' AND id IN (" + in + ")")) {
            ps.setObject(1, ContactRows.utc(now));
            ps.setString(2, token);
            for (int i = 0; i < part.size(); i++) {
                ps.setLong(3 + i, part.get(i).id());
            }
            ps.executeUpdate();
        }
        Set<Long> won = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM contact WHERE claim_owner = ? AND id IN ("
                + in + ")")) {
            ps.setString(1, token);
            for (int i = 0; i < part.size(); i++) {
                ps.setLong(2 + i, part.get(i).id());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    won.add(rs.getLong(1));
                }
            }
        }
        return won;
    }

    /** Puts a claimed contact back to wait until {@code next} without counting an attempt. */
    public boolean unclaim(long id, Instant next) {
        return unclaimOn(null, id, next);
    }

    /** As {@link #unclaim(long, Instant)}, on {@code c} inside the caller's transaction. */
    public boolean unclaim(Connection c, long id, Instant next) {
        return unclaimOn(c, id, next);
    }

    private boolean unclaimOn(Connection tx, long id, Instant next) {
        return update(tx, "UPDATE contact SET state = 'WAITING', next_attempt_at = ?, claimed_at = NULL,"
                + " claim_owner = NULL, version = version + 1 WHERE id = ? AND state = 'DIALING'",
                "unclaiming contact " + id, ps -> {
                    ps.setObject(1, ContactRows.utc(next));
                    ps.setLong(2, id);
                });
    }

    /**
     * Holds a contact claimed by a pick (DIALING to {@link ContactState#HELD}): its cascade run has not reached the
     * voice block, so it is not dialed.
     */
    public boolean hold(long id) {
        return update(null, "UPDATE contact SET state = 'HELD', claimed_at = NULL, claim_owner = NULL,"
                + " version = version + 1 WHERE id = ? AND state = 'DIALING'", "holding contact " + id,
                ps -> ps.setLong(1, id));
    }

    /** Holds a contact that waits to be dialed (WAITING to {@link ContactState#HELD}), before its run starts. */
    public boolean holdWaiting(long id) {
        return update(null, "UPDATE contact SET state = 'HELD', version = version + 1 WHERE id = ? AND state = 'WAITING'",
                "holding contact " + id, ps -> ps.setLong(1, id));
    }

    /** Hands a held contact to the dialing: WAITING, due at {@code at}. False when it was not held. */
    public boolean release(long id, Instant at) {
        return update(null, "UPDATE contact SET state = 'WAITING', next_attempt_at = ?, version = version + 1"
                + " WHERE id = ? AND state = 'HELD'", "handing contact " + id + " to the dialing", ps -> {
                    ps.setObject(1, ContactRows.utc(at));
                    ps.setLong(2, id);
                });
    }

    /** Closes a contact that is not closed yet (e.g. stop-listed at pick time). */
    public boolean close(long id, ContactResult result, String reason) {
        return close(null, id, result, reason);
    }

    /** As {@link #close(long, ContactResult, String)}, on {@code tx} inside the caller's transaction. */
    public boolean close(Connection tx, long id, ContactResult result, String reason) {
        return update(tx, "UPDATE contact SET state = 'CLOSED', result = ?, result_reason = ?, claimed_at = NULL,"
                + " claim_owner = NULL, version = version + 1 WHERE id = ? AND state <> 'CLOSED'",
                "closing contact " + id, ps -> {
                    ps.setString(1, result.name());
                    ps.setString(2, ContactRows.truncate(reason, 500));
                    ps.setLong(3, id);
                });
    }

    /**
     * Stores an attempt's effect on a DIALING contact: history, numbers, last outcome and the decision
     * (WAITING until the retry time, or CLOSED with the result).
     */
    public boolean recordAttempt(long id, AttemptRules.Decided decided, PhoneSet phones, String outcomeKey,
                                 Instant attemptEnd) {
        return recordAttempt(null, id, decided, phones, outcomeKey, attemptEnd);
    }

    /** As above, on {@code tx} inside the caller's transaction (null: a connection of its own). */
    public boolean recordAttempt(Connection tx, long id, AttemptRules.Decided decided, PhoneSet phones,
                                 String outcomeKey, Instant attemptEnd) {
        ContactAttempts history = decided.history();
        Optional<Instant> retryAt = decided.retryTime();
        boolean retry = retryAt.isPresent();
        return update(tx, "UPDATE contact SET state = ?, result = ?, result_reason = ?, next_attempt_at = ?,"
                + " attempts = ?, attempt_counts = ?, attempt_day = ?, day_attempts = ?, last_outcome = ?,"
                + " last_attempt_at = ?,"
                + " phone_failures = ?, claimed_at = NULL, claim_owner = NULL, version = version + 1"
                + " WHERE id = ? AND state = 'DIALING'", "recording an attempt of contact " + id, ps -> {
                    ps.setString(1, retry ? ContactState.WAITING.name() : ContactState.CLOSED.name());
                    ps.setString(2, retry ? null : decided.closedWith().orElseThrow().name());
                    ps.setString(3, ContactRows.truncate(decided.reason(), 500));
                    ps.setObject(4, ContactRows.utc(retryAt.orElse(attemptEnd)));
                    ps.setInt(5, history.total());
                    ps.setString(6, history.encodeByRule());
                    ps.setDate(7, history.day() == null ? null : Date.valueOf(history.day()));
                    ps.setInt(8, history.dayCount());
                    ps.setString(9, outcomeKey);
                    ps.setObject(10, ContactRows.utc(attemptEnd));
                    ps.setString(11, phones.encodeState());
                    ps.setLong(12, id);
                });
    }

    /**
     * Reconciliation: contacts claimed before {@code claimedBefore} and never resolved go back to waiting
     * at {@code next} (the attempt, if any, is resolved as LOST by the call engine's reconciliation).
     */
    public int releaseStaleClaims(String campaignId, Instant claimedBefore, Instant next) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE contact SET state = 'WAITING', next_attempt_at = ?, claimed_at = NULL, claim_owner = NULL,"
                        + " version = version + 1 WHERE campaign_id = ? AND state = 'DIALING' AND claimed_at < ?")) {
            ps.setObject(1, ContactRows.utc(next));
            ps.setString(2, campaignId);
            ps.setObject(3, ContactRows.utc(claimedBefore));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("releasing stale claims of campaign " + campaignId + " failed", e);
        }
    }

    /** Counts by situation in one statement (a consistent snapshot). */
    public ContactCounts counts(String campaignId, Instant now) {
        String sql = "SELECT state, result, COUNT(*), SUM(CASE WHEN next_attempt_at <= ? THEN 1 ELSE 0 END)"
                + " FROM contact WHERE campaign_id = ?" + VISIBLE + " GROUP BY state, result";
        long[] n = new long[9];
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, ContactRows.utc(now));
            ps.setString(2, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ContactState state = ContactState.valueOf(rs.getString(1));
                    String result = rs.getString(2);
                    long count = rs.getLong(3);
                    long due = rs.getLong(4);
                    n[0] += count;
                    if (state == ContactState.WAITING) {
                        n[1] += due;
                        n[2] += count - due;
                    } else if (state == ContactState.HELD) {
                        n[2] += count;
                    } else if (state == ContactState.DIALING) {
                        n[3] += count;
                    } else {
                        n[bucket(result)] += count;
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("counting contacts of campaign " + campaignId + " failed", e);
        }
        return new ContactCounts(n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8]);
    }

    private static int bucket(String result) {
        switch (result == null ? ContactResult.FAILURE : ContactResult.valueOf(result)) {
            case SUCCESS:
                return 4;
            case EXHAUSTED:
                return 6;
            case NO_VALID_NUMBER:
                return 7;
            case STOP_LISTED:
                return 8;
            default:
                return 5;
        }
    }

    /**
     * How many of the campaign's contacts are WAITING with their next attempt time in {@code (after, upTo]}: those
     * that became due between two counter reads. A range of the due index, so it costs what it counts, not the
     * campaign's size.
     */
    public long becameDue(String campaignId, Instant after, Instant upTo) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM contact WHERE campaign_id = ? AND state = 'WAITING' AND next_attempt_at > ?"
                        + " AND next_attempt_at <= ?" + VISIBLE)) {
            ps.setString(1, campaignId);
            ps.setObject(2, ContactRows.utc(after));
            ps.setObject(3, ContactRows.utc(upTo));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StorageException("counting the contacts of campaign " + campaignId + " that became due failed",
                    e);
        }
    }

    /**
     * The earliest due time of a waiting contact, if any. Read as the first row of the due index, not as
     * {@code MIN(...)}: with the visibility filter H2 computed the MIN by reading every waiting row (1.5 s for
     * 400,000 contacts, on every idle decision of the runner); in index order it stops at the first visible row.
     */
    public Optional<Instant> nextDueAt(String campaignId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT next_attempt_at FROM contact WHERE campaign_id = ? AND state = 'WAITING'" + VISIBLE
                        + " ORDER BY campaign_id, state, next_attempt_at LIMIT 1")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
            }
        } catch (SQLException e) {
            throw new StorageException("reading the next due time of campaign " + campaignId + " failed", e);
        }
    }

    /** A contact as listed: the stored contact and why it closed (null unless closed). */
    public record Listed(Contact contact, String resultReason) { }

    /**
     * Up to {@code limit} visible contacts of the campaign with an id above {@code afterId}, in id order,
     * optionally only those in {@code state} (null: all). Keyset paging through the (campaign, id) index: a page
     * costs the same wherever it is in a campaign of millions.
     */
    public List<Listed> page(String campaignId, ContactState state, long afterId, int limit) {
        // The row comparison repeats "id > ?" for PostgreSQL: with only "campaign_id = ? AND id > ?" and the
        // visibility anti-join it walked the primary key from the start, filtering other campaigns' rows (860 ms
        // for the first page behind a 10M-contact campaign); the row comparison is served only by the (campaign_id,
        // id) index. H2 needs the plain "id > ?" to start its index range at the key (bench: ImportLoad, PickLoad).
        String sql = "SELECT " + COLUMNS + ", result_reason FROM contact WHERE campaign_id = ? AND id > ?"
                + " AND (campaign_id, id) > (?, ?)" + (state == null ? "" : " AND state = ?") + VISIBLE
                + " ORDER BY campaign_id, id LIMIT ?";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, campaignId);
            ps.setLong(i++, afterId);
            ps.setString(i++, campaignId);
            ps.setLong(i++, afterId);
            if (state != null) {
                ps.setString(i++, state.name());
            }
            ps.setInt(i, limit);
            List<Listed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(listed(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing the contacts of campaign " + campaignId + " failed", e);
        }
    }

    /** The visible contact {@code id} of the campaign, if any. */
    public Optional<Listed> find(String campaignId, long id) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + ", result_reason FROM contact WHERE id = ? AND campaign_id = ?" + VISIBLE)) {
            ps.setLong(1, id);
            ps.setString(2, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(listed(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading contact " + id + " of campaign " + campaignId + " failed", e);
        }
    }

    /**
     * Visible contacts in every campaign that have {@code e164} as their primary number or were dialed on it (any
     * of their numbers, from the call records), at most {@code limit}, ordered by campaign and id. Both look-ups use
     * an index on the number (V13): a search costs the same whatever the number of contacts.
     */
    public List<Listed> withNumber(String e164, int limit) {
        java.util.Map<String, Listed> found = new java.util.LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", result_reason FROM contact"
                    + " WHERE phone = ?" + VISIBLE + " ORDER BY campaign_id, id LIMIT ?")) {
                ps.setString(1, e164);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Listed l = listed(rs);
                        found.put(l.contact().campaignId() + "/" + l.contact().id(), l);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT campaign_id, contact_id FROM call_records"
                    + " WHERE phone = ? AND campaign_id IS NOT NULL AND contact_id IS NOT NULL")) {
                ps.setString(1, e164);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && found.size() < limit) {
                        String campaign = rs.getString(1);
                        String contact = rs.getString(2);
                        if (!found.containsKey(campaign + "/" + contact) && contact.chars().allMatch(Character::isDigit)
                                && contact.length() < 19) {
                            find(campaign, Long.parseLong(contact)).ifPresent(l -> found.put(campaign + "/" + contact, l));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StorageException("searching the contacts with number " + e164 + " failed", e);
        }
        List<Listed> out = new ArrayList<>(found.values());
        out.sort(java.util.Comparator.comparing((Listed l) -> l.contact().campaignId())
            .thenComparingLong(l -> l.contact().id()));
        return out;
    }

    /** A row of {@code COLUMNS, result_reason}. */
    private static Listed listed(ResultSet rs) throws SQLException {
        return new Listed(ContactRows.read(rs), rs.getString(ContactRows.COUNT + 1));
    }

    /**
     * The campaign's contacts claimed for dialing (crash recovery), each with the id of the node that claimed it
     * (the owner part of its claim token; null when unknown).
     */
    public java.util.Map<Long, String> dialingClaims(String campaignId) {
        java.util.Map<Long, String> out = new java.util.LinkedHashMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, claim_owner FROM contact WHERE campaign_id = ? AND state = 'DIALING'")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String token = rs.getString(2);
                    int slash = token == null ? -1 : token.lastIndexOf('/');
                    out.put(rs.getLong(1), slash < 0 ? null : token.substring(0, slash));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("reading dialing contacts of campaign " + campaignId + " failed", e);
        }
    }

    /** The DIALING contacts of a campaign. */
    public List<Long> dialingIds(String campaignId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM contact WHERE campaign_id = ? AND state = 'DIALING'")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
                return ids;
            }
        } catch (SQLException e) {
            throw new StorageException("reading dialing contacts of campaign " + campaignId + " failed", e);
        }
    }

    /** True while some contact is waiting, being dialed or held for its cascade run ({@link ContactState#HELD}). */
    public boolean hasOpenContacts(String campaignId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM contact WHERE campaign_id = ? AND state IN ('WAITING', 'DIALING', 'HELD')" + VISIBLE
                        + " LIMIT 1")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StorageException("checking open contacts of campaign " + campaignId + " failed", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(Connection tx, String sql, String what, Binder binder) {
        if (tx != null) {
            try (PreparedStatement ps = tx.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new StorageException(what + " failed", e);
            }
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException(what + " failed", e);
        }
    }
}

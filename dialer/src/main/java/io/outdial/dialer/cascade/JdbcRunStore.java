package io.outdial.dialer.cascade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.store.RunStore;
import io.outdial.fallback.store.Step;
import io.outdial.fallback.store.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cascade engine's {@link RunStore} in the node's database (tables {@code cascade_*}, migrations V9 and V14), on
 * H2 and PostgreSQL. Blocking JDBC: the engine calls it on worker threads.
 *
 * <p>Writes are grouped per engine step ({@link #batch}): inside a step, the run, step, message, timer, seen-status,
 * cost and counter writes are held on the calling thread (a later write of the same row replaces an earlier one,
 * counter deltas of the same counter add up) and written together when the step ends: on PostgreSQL one multi-row
 * statement per table, all sent in one round trip (one implicit transaction); on H2 one transaction of batched
 * statements. They are also written before any read that could see them, and before an attached provider id's
 * parked events are read. Reads of a run, step or message inside a step see the step's writes; reading a message or a run
 * also reads its run and step in the same query. No connection is held between statements, so the stop-list or the
 * scheme store may be called inside a step. Outside a step every write is written at once. Rows are written as
 * upserts ({@code INSERT ... ON CONFLICT} on PostgreSQL, {@code MERGE ... KEY} on H2).
 *
 * <p>Counters are durable and contention-free: each step appends its counter deltas to {@code cascade_counter_delta}
 * in its own transaction; every {@value #FOLD_EVERY} or so deltas, one thread folds them into the totals of
 * {@code cascade_counter} (rows locked, summed, added, deleted, in one transaction). A counter's value is its total
 * plus the deltas not folded yet, read in one statement, so a crash loses no count.
 *
 * <p>Parking an early event and attaching provider ids each commit their write before they read the other side,
 * and whoever deletes a parked row applies its event, so an early receipt is never lost and never applied twice.
 * On PostgreSQL, attaching takes the parked events ({@code DELETE ... RETURNING}), reads each id's owner and the
 * statuses seen for the ids in one query; a status of those ids recorded later in the same step needs no read.
 *
 * <p>A provider id's owner never changes once attached (the first message to attach it keeps it): the store
 * remembers the owners it saw attached or looked up (the latest {@value #OWNERS_KEPT}) and {@link #findOrPark}
 * answers from them without a read. The message returned is as this store last saw it; the engine uses only its id
 * and run, and the step that applies the event reads the message again.
 */
final class JdbcRunStore implements RunStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcRunStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505";
    /** Unfolded counter deltas after which a step's thread folds them into the totals. */
    static final int FOLD_EVERY = 2_000;
    /** Most deltas folded in one transaction. */
    private static final int FOLD_MAX = 20_000;
    private static final String RUN_COLUMNS = "id, campaign_id, scheme_id, scheme_version, recipient_id, address,"
        + " fields, state, block_id, step, started_at, updated_at, reason";
    private static final int RUN_N = 13;
    private static final String STEP_COLUMNS = "run_id, seq, block_id, state, entered_at, deadline, message_id,"
        + " outcome, next_block";
    private static final int STEP_N = 9;
    private static final String MESSAGE_COLUMNS = "id, run_id, step, scheme_id, block_id, channel, address, body,"
        + " state, provider_ids, parts, status, segments, cost, refunded, created_at, sent_at, error";

    /** Provider id owners remembered. */
    private static final int OWNERS_KEPT = 4_096;

    private final DataSource ds;
    private final ThreadLocal<Unit> unit = new ThreadLocal<>();
    private final AtomicLong unfolded = new AtomicLong();
    private final ReentrantLock folding = new ReentrantLock();
    private final Map<String, MessageRecord> owners = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MessageRecord> eldest) {
            return size() > OWNERS_KEPT;
        }
    };
    private volatile Sql sql;

    public JdbcRunStore(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public <T> T batch(Supplier<T> work) {
        if (unit.get() != null) {
            return work.get();
        }
        Unit u = new Unit();
        unit.set(u);
        T out;
        try {
            out = work.get();
        } catch (RuntimeException | Error e) {
            // what the step wrote before it failed is written, as it would have been without grouping
            try {
                flush(u);
            } catch (RuntimeException f) {
                e.addSuppressed(f);
            }
            throw e;
        } finally {
            unit.remove();
        }
        flush(u);
        return out;
    }

    @Override
    public boolean insertRun(Run r) {
        settle();
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "INSERT INTO cascade_run (" + RUN_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.campaignId(), r.schemeId(), r.schemeVersion(), r.recipient().id(), r.recipient().address(),
                json(r.recipient().fields()), r.state().name(), r.blockId(), r.step(), r.startedAt(), r.updatedAt(),
                cut(r.reason()));
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new StorageException("inserting cascade run " + r.id() + " failed", e);
        }
        Unit u = unit.get();
        if (u != null) {
            u.readRuns.put(r.id(), r);
        }
        return true;
    }

    @Override
    public Optional<Run> run(String runId) {
        Unit u = unit.get();
        if (u == null) {
            return Rows.first(ds, "reading cascade run " + runId, "SELECT " + RUN_COLUMNS
                + " FROM cascade_run WHERE id = ?", rs -> run(rs, 0), runId);
        }
        Run known = u.runs.containsKey(runId) ? u.runs.get(runId) : u.readRuns.get(runId);
        if (known != null) {
            return Optional.of(known);
        }
        // the run and its current step in one query; both are kept for the rest of the step
        Optional<Run> r = Rows.first(ds, "reading cascade run " + runId, "SELECT " + prefixed("r", RUN_COLUMNS) + ", "
            + prefixed("s", STEP_COLUMNS) + " FROM cascade_run r LEFT JOIN cascade_step s ON s.run_id = r.id"
            + " AND s.seq = r.step WHERE r.id = ?", rs -> {
                Run read = run(rs, 0);
                u.read(read, rs.getString(RUN_N + 1) == null ? null : step(rs, RUN_N));
                return read;
            }, runId);
        return r;
    }

    @Override
    public void updateRun(Run r) {
        write(u -> u.runs.put(r.id(), r));
    }

    @Override
    public List<Run> activeRuns() {
        settle();
        return Rows.list(ds, "reading active cascade runs", "SELECT " + RUN_COLUMNS
            + " FROM cascade_run WHERE state IN ('RUNNING', 'WAITING') ORDER BY started_at, id", rs -> run(rs, 0));
    }

    /** A campaign's runs, by recipient id order, at most {@code limit} after {@code offset}. */
    public List<Run> runsOf(String campaignId, int limit, long offset) {
        settle();
        return Rows.list(ds, "reading cascade runs of " + campaignId, "SELECT " + RUN_COLUMNS
            + " FROM cascade_run WHERE campaign_id = ? ORDER BY started_at, id LIMIT ? OFFSET ?", rs -> run(rs, 0),
            campaignId, limit, offset);
    }

    /** Number of runs of a campaign. */
    public long runCount(String campaignId) {
        settle();
        return Rows.count(ds, "counting cascade runs", "SELECT COUNT(*) FROM cascade_run WHERE campaign_id = ?",
            campaignId);
    }

    @Override
    public void saveStep(Step s) {
        write(u -> u.steps.put(new StepKey(s.runId(), s.seq()), s));
    }

    @Override
    public Optional<Step> step(String runId, int seq) {
        Unit u = unit.get();
        StepKey k = new StepKey(runId, seq);
        if (u != null) {
            Step known = u.steps.containsKey(k) ? u.steps.get(k) : u.readSteps.get(k);
            if (known != null) {
                return Optional.of(known);
            }
        }
        Optional<Step> s = Rows.first(ds, "reading a cascade step", "SELECT " + STEP_COLUMNS
            + " FROM cascade_step WHERE run_id = ? AND seq = ?", rs -> step(rs, 0), runId, seq);
        if (u != null) {
            s.ifPresent(x -> u.readSteps.put(k, x));
        }
        return s;
    }

    @Override
    public List<Step> steps(String runId) {
        settle();
        return Rows.list(ds, "reading cascade steps", "SELECT " + STEP_COLUMNS
            + " FROM cascade_step WHERE run_id = ? ORDER BY seq", rs -> step(rs, 0), runId);
    }

    @Override
    public void saveMessage(MessageRecord m) {
        write(u -> u.messages.put(m.id(), m));
    }

    @Override
    public Optional<MessageRecord> message(String messageId) {
        Unit u = unit.get();
        if (u == null) {
            return Rows.first(ds, "reading cascade message " + messageId, "SELECT " + MESSAGE_COLUMNS
                + " FROM cascade_message WHERE id = ?", JdbcRunStore::message, messageId);
        }
        MessageRecord known = u.messages.containsKey(messageId) ? u.messages.get(messageId)
            : u.readMessages.get(messageId);
        if (known != null) {
            return Optional.of(known);
        }
        // the message, its run and the step that sent it in one query; all kept for the rest of the step
        return Rows.first(ds, "reading cascade message " + messageId, "SELECT " + prefixed("r", RUN_COLUMNS) + ", "
            + prefixed("s", STEP_COLUMNS) + ", " + prefixed("m", MESSAGE_COLUMNS) + " FROM cascade_message m"
            + " JOIN cascade_run r ON r.id = m.run_id LEFT JOIN cascade_step s ON s.run_id = m.run_id"
            + " AND s.seq = m.step WHERE m.id = ?", rs -> {
                u.read(run(rs, 0), rs.getString(RUN_N + 1) == null ? null : step(rs, RUN_N));
                MessageRecord m = message(rs, RUN_N + STEP_N);
                u.readMessages.put(m.id(), m);
                return m;
            }, messageId);
    }

    @Override
    public List<MessageRecord> messages(String runId) {
        settle();
        return Rows.list(ds, "reading cascade messages", "SELECT " + MESSAGE_COLUMNS
            + " FROM cascade_message WHERE run_id = ? ORDER BY step, created_at", JdbcRunStore::message, runId);
    }

    @Override
    public List<ChannelEvent> attachProviderIds(String messageId, ChannelType channel, List<String> providerIds) {
        // the ids are written (with everything the step wrote before) and committed before the parked rows are read
        Unit u = unit.get();
        Unit w = u == null ? new Unit() : u;
        for (String pid : providerIds) {
            w.providerIds.add(new String[] {channel.name(), pid, messageId});
        }
        flush(w);
        List<ChannelEvent> out = new ArrayList<>();
        if (providerIds.isEmpty()) {
            return out;
        }
        MessageRecord written = w.readMessages.get(messageId);
        String in = " AND provider_id IN (" + marks(providerIds.size()) + ")";
        List<Object> params = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            List<Object[]> parked = new ArrayList<>();
            List<Object[]> rows;
            if (sql(c).pg()) {
                // one query: the parked events, taken (deleted) as they are read; who owns each id (the first message
                // that attached it); and the statuses seen for the ids, which recordStatus then needs not read
                for (int i = 0; i < 3; i++) {
                    params.add(channel.name());
                    params.addAll(providerIds);
                }
                rows = Rows.list(c, "WITH taken AS (DELETE FROM cascade_parked WHERE channel = ?" + in
                    + " RETURNING id, event) SELECT 'p', id, event, NULL FROM taken UNION ALL SELECT 'o', NULL,"
                    + " provider_id, message_id FROM cascade_provider_id WHERE channel = ?" + in + " UNION ALL"
                    + " SELECT 's', NULL, provider_id, status FROM cascade_status_seen WHERE channel = ?" + in,
                    JdbcRunStore::attachRow, params.toArray());
                for (Object[] row : rows) {
                    if ("p".equals(row[0])) {
                        parked.add(row);
                    } else if ("s".equals(row[0]) && u != null) {
                        u.seenRead.add(String.join("\u0000", channel.name(), (String) row[2], (String) row[3]));
                    }
                }
                if (u != null) {
                    providerIds.forEach(pid -> u.seenReadFor.add(ownerKey(channel.name(), pid)));
                }
            } else {
                // the parked events of the ids and, in the same query, who owns each id
                for (int i = 0; i < 2; i++) {
                    params.add(channel.name());
                    params.addAll(providerIds);
                }
                rows = Rows.list(c, "SELECT 'p', id, event, NULL FROM cascade_parked WHERE channel = ?" + in
                    + " UNION ALL SELECT 'o', NULL, provider_id, message_id FROM cascade_provider_id WHERE channel = ?"
                    + in, JdbcRunStore::attachRow, params.toArray());
                for (Object[] row : rows) {
                    if ("p".equals(row[0]) && Rows.update(c, "DELETE FROM cascade_parked WHERE id = ?", row[1]) == 1) {
                        parked.add(row);
                    }
                }
            }
            for (Object[] row : rows) {
                if ("o".equals(row[0]) && written != null && messageId.equals(row[3])) {
                    remember(channel.name(), (String) row[2], written);
                }
            }
            parked.sort(java.util.Comparator.comparingLong(p -> (Long) p[1]));
            for (Object[] p : parked) {
                out.add(event((String) p[2]));
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("attaching provider ids to cascade message " + messageId + " failed", e);
        }
    }

    private static Object[] attachRow(ResultSet rs) throws SQLException {
        return new Object[] {rs.getString(1), rs.getObject(2) == null ? null : rs.getLong(2), rs.getString(3),
            rs.getString(4)};
    }

    @Override
    public Optional<MessageRecord> findOrPark(ChannelType channel, String providerId, ChannelEvent event) {
        settle();
        Optional<MessageRecord> known = rememberedOwner(channel, providerId);
        if (known.isPresent()) {
            return known;
        }
        try (Connection c = ds.getConnection()) {
            Optional<MessageRecord> owner = owner(c, channel, providerId);
            if (owner.isPresent()) {
                remember(channel.name(), providerId, owner.get());
                return owner;
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cascade_parked (channel, provider_id, event)"
                + " VALUES (?,?,?)", new String[] {"id"})) {
                Rows.bind(ps, channel.name(), providerId, json(event));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.add(keys.getLong(1));
                    }
                }
            }
            // parked and committed; the id may have been attached meanwhile: then take the event back if still there
            owner = owner(c, channel, providerId);
            if (owner.isPresent() && !ids.isEmpty()
                && Rows.update(c, "DELETE FROM cascade_parked WHERE id = ?", ids.get(0)) == 1) {
                return owner;
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StorageException("finding the message of provider id " + providerId + " failed", e);
        }
    }

    @Override
    public Optional<MessageRecord> rememberedOwner(ChannelType channel, String providerId) {
        synchronized (owners) {
            return Optional.ofNullable(owners.get(ownerKey(channel.name(), providerId)));
        }
    }

    private static String ownerKey(String channel, String providerId) {
        return channel + "\u0000" + providerId;
    }

    private void remember(String channel, String providerId, MessageRecord owner) {
        synchronized (owners) {
            owners.put(ownerKey(channel, providerId), owner);
        }
    }

    /** The message that owns a provider id, read with the id in one query. */
    private static Optional<MessageRecord> owner(Connection c, ChannelType channel, String providerId)
        throws SQLException {
        List<MessageRecord> ms = Rows.list(c, "SELECT " + prefixed("m", MESSAGE_COLUMNS) + " FROM cascade_provider_id p"
            + " JOIN cascade_message m ON m.id = p.message_id WHERE p.channel = ? AND p.provider_id = ?",
            JdbcRunStore::message, channel.name(), providerId);
        return ms.isEmpty() ? Optional.empty() : Optional.of(ms.get(0));
    }

    @Override
    public Optional<MessageRecord> latestMessageTo(ChannelType channel, String address) {
        settle();
        return Rows.first(ds, "reading the latest message to " + address, "SELECT " + MESSAGE_COLUMNS
            + " FROM cascade_message WHERE channel = ? AND address = ? AND state = 'SUBMITTED'"
            + " ORDER BY created_at DESC, id DESC LIMIT 1", JdbcRunStore::message, channel.name(), address);
    }

    @Override
    public boolean recordStatus(ChannelType channel, String providerId, Status status) {
        Unit u = unit.get();
        if (u == null) {
            try (Connection c = ds.getConnection()) {
                return Rows.update(c, "INSERT INTO cascade_status_seen (channel, provider_id, status) VALUES (?,?,?)"
                    + " ON CONFLICT DO NOTHING", channel.name(), providerId, status.name()) == 1;
            } catch (SQLException e) {
                throw new StorageException("recording status " + status + " of " + providerId + " failed", e);
            }
        }
        // inside a step: written with the status's effects, in the same transaction. A run's steps never overlap on
        // one engine, so no one else marks this status meanwhile; should another node's engine mark it first, the
        // insert fails on the key and nothing of this step is written: the status is still applied once.
        String[] key = {channel.name(), providerId, status.name()};
        if (!u.seenKeys.add(String.join("\u0000", key))) {
            return false;
        }
        String read = ownerKey(channel.name(), providerId);
        if (u.seenReadFor.contains(read)) {
            // read when this step attached the id
            if (u.seenRead.contains(String.join("\u0000", key))) {
                return false;
            }
        } else if (Rows.count(ds, "reading status " + status + " of " + providerId, "SELECT COUNT(*) FROM"
            + " cascade_status_seen WHERE channel = ? AND provider_id = ? AND status = ?", (Object[]) key) > 0) {
            return false;
        }
        u.seen.add(key);
        return true;
    }

    @Override
    public int sendsSince(String address, ChannelType channel, Instant from) {
        settle();
        return (int) Rows.count(ds, "counting messages to " + address, "SELECT COUNT(*) FROM cascade_message"
            + " WHERE channel = ? AND address = ? AND created_at >= ? AND state <> 'FAILED'", channel.name(), address,
            from);
    }

    @Override
    public void saveTimer(Timer t) {
        write(u -> u.timers.put(new StepKey(t.runId(), t.step()), Optional.of(t)));
    }

    @Override
    public void deleteTimer(String runId, int step) {
        write(u -> u.timers.put(new StepKey(runId, step), Optional.empty()));
    }

    @Override
    public List<Timer> dueTimers(Instant now, int limit) {
        settle();
        return Rows.list(ds, "reading due cascade timers", "SELECT run_id, step, kind, due FROM cascade_timer"
            + " WHERE due <= ? ORDER BY due, run_id, step LIMIT ?", rs -> new Timer(rs.getString(1), rs.getInt(2),
            Timer.Kind.valueOf(rs.getString(3)), Rows.instant(rs, 4)), now, limit);
    }

    @Override
    public int timerCount() {
        settle();
        return (int) Rows.count(ds, "counting cascade timers", "SELECT COUNT(*) FROM cascade_timer");
    }

    @Override
    public void book(CostEntry e) {
        write(u -> u.costs.add(e));
    }

    @Override
    public List<CostEntry> costs(String runId) {
        settle();
        return Rows.list(ds, "reading cascade costs", "SELECT run_id, campaign_id, scheme_id, block_id, message_id,"
            + " channel, units, amount, booked_at FROM cascade_cost WHERE run_id = ? ORDER BY id",
            rs -> new CostEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ChannelType.valueOf(rs.getString(6)), rs.getInt(7), rs.getLong(8), Rows.instant(rs, 9)), runId);
    }

    @Override
    public Map<String, Long> costByBlock(String schemeId) {
        settle();
        Map<String, Long> out = new LinkedHashMap<>();
        Rows.list(ds, "reading cascade costs by block", "SELECT block_id, SUM(amount) FROM cascade_cost"
            + " WHERE scheme_id = ? GROUP BY block_id ORDER BY block_id", rs -> out.put(rs.getString(1), rs.getLong(2)),
            schemeId);
        return out;
    }

    @Override
    public long campaignCost(String campaignId) {
        settle();
        return Rows.count(ds, "reading the cost of campaign " + campaignId,
            "SELECT COALESCE(SUM(amount), 0) FROM cascade_cost WHERE campaign_id = ?", campaignId);
    }

    @Override
    public void addCounter(String schemeId, String blockId, Counter counter, long delta) {
        write(u -> u.counters.merge(new CounterKey(schemeId, blockId, counter), delta, Long::sum));
    }

    @Override
    public Map<String, Map<Counter, Long>> counters(String schemeId) {
        settle();
        Map<String, Map<Counter, Long>> out = new LinkedHashMap<>();
        // totals plus the deltas not folded yet, in one statement (one snapshot: a fold is seen whole or not at all)
        Rows.list(ds, "reading cascade counters", "SELECT block_id, counter, SUM(amount) FROM (SELECT block_id,"
            + " counter, amount FROM cascade_counter WHERE scheme_id = ? UNION ALL SELECT block_id, counter, amount"
            + " FROM cascade_counter_delta WHERE scheme_id = ?) t GROUP BY block_id, counter ORDER BY block_id,"
            + " counter", rs -> out.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(Counter.class))
                .put(Counter.valueOf(rs.getString(2)), rs.getLong(3)), schemeId, schemeId);
        return out;
    }

    /** Every scheme that has counters. */
    public List<String> countedSchemes() {
        settle();
        return Rows.list(ds, "reading counted schemes", "SELECT scheme_id FROM cascade_counter UNION SELECT scheme_id"
            + " FROM cascade_counter_delta ORDER BY scheme_id", rs -> rs.getString(1));
    }

    /**
     * Folds the counter deltas written so far into the totals, at most {@value #FOLD_MAX} per call; returns how many
     * were folded. Steps call it as deltas pile up; safe to call from several threads and nodes (the deltas it folds
     * are locked, and a delta is deleted in the transaction that adds it to its total).
     */
    public int foldCounters() {
        folding.lock();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                Map<CounterKey, Long> sums = new LinkedHashMap<>();
                Rows.list(c, "SELECT id, scheme_id, block_id, counter, amount FROM cascade_counter_delta ORDER BY id"
                    + " LIMIT ? FOR UPDATE", rs -> {
                        ids.add(rs.getLong(1));
                        return sums.merge(new CounterKey(rs.getString(2), rs.getString(3),
                            Counter.valueOf(rs.getString(4))), rs.getLong(5), Long::sum);
                    }, FOLD_MAX);
                if (ids.isEmpty()) {
                    c.rollback();
                    return 0;
                }
                batch(c, sql(c).addToCounter, sums.entrySet(), e -> new Object[] {e.getKey().schemeId(),
                    e.getKey().blockId(), e.getKey().counter().name(), e.getValue()});
                batch(c, "DELETE FROM cascade_counter_delta WHERE id = ?", ids, id -> new Object[] {id});
                c.commit();
                unfolded.addAndGet(-ids.size());
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("folding cascade counters failed", e);
        } finally {
            folding.unlock();
        }
    }

    private void maybeFold() {
        if (unfolded.get() < FOLD_EVERY || !folding.tryLock()) {
            return;
        }
        try {
            if (unfolded.get() >= FOLD_EVERY) {
                foldCounters();
            }
        } catch (RuntimeException e) {
            // the deltas stay and are counted; the next fold takes them
            LOG.warn("folding cascade counters failed; retried later", e);
        } finally {
            folding.unlock();
        }
    }

    // --- the writes of a step

    private record StepKey(String runId, int seq) { }

    private record CounterKey(String schemeId, String blockId, Counter counter) { }

    /** What one step wrote and read, on its thread, until written. */
    private static final class Unit {
        final Map<String, Run> runs = new LinkedHashMap<>();
        final Map<StepKey, Step> steps = new LinkedHashMap<>();
        final Map<String, MessageRecord> messages = new LinkedHashMap<>();
        final Map<StepKey, Optional<Timer>> timers = new LinkedHashMap<>();
        final List<String[]> seen = new ArrayList<>();
        final Set<String> seenKeys = new HashSet<>();
        final List<CostEntry> costs = new ArrayList<>();
        final Map<CounterKey, Long> counters = new LinkedHashMap<>();
        final List<String[]> providerIds = new ArrayList<>();
        final Map<String, Run> readRuns = new HashMap<>();
        final Map<StepKey, Step> readSteps = new HashMap<>();
        final Map<String, MessageRecord> readMessages = new HashMap<>();

        /** Provider ids whose seen statuses were read when attached in this step, and those statuses. */
        final Set<String> seenReadFor = new HashSet<>();
        final Set<String> seenRead = new HashSet<>();

        void read(Run r, Step s) {
            readRuns.put(r.id(), r);
            if (s != null) {
                readSteps.put(new StepKey(s.runId(), s.seq()), s);
            }
        }

        boolean empty() {
            return runs.isEmpty() && steps.isEmpty() && messages.isEmpty() && timers.isEmpty() && seen.isEmpty()
                && costs.isEmpty() && counters.isEmpty() && providerIds.isEmpty();
        }

        /** Written: what was written is what reads see from now on. */
        void written() {
            readRuns.putAll(runs);
            readSteps.putAll(steps);
            readMessages.putAll(messages);
            runs.clear();
            steps.clear();
            messages.clear();
            timers.clear();
            seen.clear();
            costs.clear();
            counters.clear();
            providerIds.clear();
        }
    }

    @FunctionalInterface
    private interface Change {
        void apply(Unit u);
    }

    /** A write: held by the step in progress, or written at once outside one. */
    private void write(Change change) {
        Unit u = unit.get();
        if (u != null) {
            change.apply(u);
            return;
        }
        Unit once = new Unit();
        change.apply(once);
        flush(once);
    }

    /** Writes what the step in progress holds, if any, before a read that could see it. */
    private void settle() {
        Unit u = unit.get();
        if (u != null) {
            flush(u);
        }
    }

    /**
     * Writes what a unit holds in one transaction: on PostgreSQL (an auto-commit connection) in one round trip,
     * otherwise as batched statements, one per table.
     */
    private void flush(Unit u) {
        if (u.empty()) {
            return;
        }
        List<Map.Entry<CounterKey, Long>> counts = new ArrayList<>();
        for (Map.Entry<CounterKey, Long> e : u.counters.entrySet()) {
            if (e.getValue() != 0) {
                counts.add(e);
            }
        }
        try (Connection c = ds.getConnection()) {
            Sql q = sql(c);
            if (q.pg() && c.getAutoCommit()) {
                flushInOneTrip(c, q, u, counts);
            } else {
                flushInBatches(c, q, u, counts);
            }
        } catch (SQLException e) {
            throw new StorageException("writing cascade run " + firstRun(u) + " failed", e);
        }
        u.written();
        if (!counts.isEmpty() && unfolded.addAndGet(counts.size()) >= FOLD_EVERY) {
            maybeFold();
        }
    }

    /**
     * PostgreSQL: every write of a unit in one round trip, as one string of statements (a multi-row statement per
     * table) sent in one go: up to its Sync, the server runs them as one implicit transaction, so they commit
     * together or not at all.
     */
    private static void flushInOneTrip(Connection c, Sql q, Unit u, List<Map.Entry<CounterKey, Long>> counts)
        throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Run r : u.runs.values()) {
            add(sql, params, "UPDATE cascade_run SET state = ?, block_id = ?, step = ?, updated_at = ?, reason = ?"
                + " WHERE id = ?", r.state().name(), r.blockId(), r.step(), r.updatedAt(), cut(r.reason()), r.id());
        }
        rows(sql, params, q.upsertStep, u.steps.values(), s -> new Object[] {s.runId(), s.seq(), s.blockId(),
            s.state().name(), s.enteredAt(), s.deadline(), s.messageId(), cut(s.outcome()), s.next()});
        rows(sql, params, q.upsertMessage, u.messages.values(), m -> new Object[] {m.id(), m.runId(), m.step(),
            m.schemeId(), m.blockId(), m.channel().name(), m.address(), m.text(), m.state().name(),
            json(m.providerIds()), json(parts(m.parts())), m.status() == null ? null : m.status().name(),
            m.segments(), m.cost(), m.refunded(), m.createdAt(), m.sentAt(), cut(m.error())});
        List<Timer> saved = new ArrayList<>();
        u.timers.forEach((k, t) -> {
            if (t.isPresent()) {
                saved.add(t.get());
            } else {
                add(sql, params, "DELETE FROM cascade_timer WHERE run_id = ? AND step = ?", k.runId(), k.seq());
            }
        });
        rows(sql, params, q.upsertTimer, saved, t -> new Object[] {t.runId(), t.step(), t.kind().name(), t.due()});
        rows(sql, params, "INSERT INTO cascade_status_seen (channel, provider_id, status) VALUES (?,?,?)",
            u.seen, k -> k);
        rows(sql, params, "INSERT INTO cascade_cost (run_id, campaign_id, scheme_id, block_id, message_id, channel,"
            + " units, amount, booked_at) VALUES (?,?,?,?,?,?,?,?,?)", u.costs, e -> new Object[] {e.runId(),
            e.campaignId(), e.schemeId(), e.blockId(), e.messageId(), e.channel().name(), e.units(), e.amount(),
            e.at()});
        rows(sql, params, "INSERT INTO cascade_counter_delta (scheme_id, block_id, counter, amount) VALUES (?,?,?,?)",
            counts, e -> new Object[] {e.getKey().schemeId(), e.getKey().blockId(), e.getKey().counter().name(),
            e.getValue()});
        rows(sql, params, "INSERT INTO cascade_provider_id (channel, provider_id, message_id) VALUES (?,?,?)"
            + " ON CONFLICT DO NOTHING", u.providerIds, p -> p);
        if (sql.length() == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            Rows.bind(ps, params.toArray());
            ps.execute();
        }
    }

    private static void add(StringBuilder sql, List<Object> params, String statement, Object... values) {
        sql.append(sql.length() == 0 ? "" : "; ").append(statement);
        params.addAll(java.util.Arrays.asList(values));
    }

    /** One multi-row statement: the single-row {@code VALUES (...)} of {@code statement} repeated per row. */
    private static <T> void rows(StringBuilder sql, List<Object> params, String statement, Collection<T> rows,
                                 Params<T> values) {
        if (rows.isEmpty()) {
            return;
        }
        int at = statement.indexOf("VALUES (") + "VALUES ".length();
        int end = statement.indexOf(')', at) + 1;
        String group = statement.substring(at, end);
        StringBuilder groups = new StringBuilder();
        for (T row : rows) {
            groups.append(groups.length() == 0 ? "" : ",").append(group);
            params.addAll(java.util.Arrays.asList(values.of(row)));
        }
        sql.append(sql.length() == 0 ? "" : "; ").append(statement, 0, at).append(groups)
            .append(statement.substring(end));
    }

    /** The writes of a unit as one transaction of batched statements. */
    private static void flushInBatches(Connection c, Sql q, Unit u, List<Map.Entry<CounterKey, Long>> counts)
        throws SQLException {
        c.setAutoCommit(false);
        try {
            batch(c, "UPDATE cascade_run SET state = ?, block_id = ?, step = ?, updated_at = ?, reason = ?"
                + " WHERE id = ?", u.runs.values(), r -> new Object[] {r.state().name(), r.blockId(), r.step(),
                r.updatedAt(), cut(r.reason()), r.id()});
            batch(c, q.upsertStep, u.steps.values(), s -> new Object[] {s.runId(), s.seq(), s.blockId(),
                s.state().name(), s.enteredAt(), s.deadline(), s.messageId(), cut(s.outcome()), s.next()});
            batch(c, q.upsertMessage, u.messages.values(), m -> new Object[] {m.id(), m.runId(), m.step(),
                m.schemeId(), m.blockId(), m.channel().name(), m.address(), m.text(), m.state().name(),
                json(m.providerIds()), json(parts(m.parts())), m.status() == null ? null : m.status().name(),
                m.segments(), m.cost(), m.refunded(), m.createdAt(), m.sentAt(), cut(m.error())});
            List<Timer> saved = new ArrayList<>();
            List<StepKey> deleted = new ArrayList<>();
            u.timers.forEach((k, t) -> {
                if (t.isPresent()) {
                    saved.add(t.get());
                } else {
                    deleted.add(k);
                }
            });
            batch(c, "DELETE FROM cascade_timer WHERE run_id = ? AND step = ?", deleted,
                k -> new Object[] {k.runId(), k.seq()});
            batch(c, q.upsertTimer, saved, t -> new Object[] {t.runId(), t.step(), t.kind().name(), t.due()});
            batch(c, "INSERT INTO cascade_status_seen (channel, provider_id, status) VALUES (?,?,?)", u.seen,
                k -> k);
            batch(c, "INSERT INTO cascade_cost (run_id, campaign_id, scheme_id, block_id, message_id, channel,"
                + " units, amount, booked_at) VALUES (?,?,?,?,?,?,?,?,?)", u.costs, e -> new Object[] {e.runId(),
                e.campaignId(), e.schemeId(), e.blockId(), e.messageId(), e.channel().name(), e.units(), e.amount(),
                e.at()});
            batch(c, "INSERT INTO cascade_counter_delta (scheme_id, block_id, counter, amount) VALUES (?,?,?,?)",
                counts, e -> new Object[] {e.getKey().schemeId(), e.getKey().blockId(), e.getKey().counter().name(),
                e.getValue()});
            // last: an attached id makes the message's parked events and later events apply to it
            batch(c, "INSERT INTO cascade_provider_id (channel, provider_id, message_id) VALUES (?,?,?)"
                + " ON CONFLICT DO NOTHING", u.providerIds, p -> p);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static String firstRun(Unit u) {
        if (!u.runs.isEmpty()) {
            return u.runs.keySet().iterator().next();
        }
        if (!u.steps.isEmpty()) {
            return u.steps.keySet().iterator().next().runId();
        }
        return u.messages.isEmpty() ? "state" : u.messages.values().iterator().next().runId();
    }

    @FunctionalInterface
    private interface Params<T> {
        Object[] of(T row);
    }

    /** One batched statement for every row; nothing when there is none. */
    private static <T> void batch(Connection c, String sql, Collection<T> rows, Params<T> params) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (rows.size() == 1) {
                Rows.bind(ps, params.of(rows.iterator().next()));
                ps.executeUpdate();
                return;
            }
            for (T row : rows) {
                Rows.bind(ps, params.of(row));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    /** The upserts of the database at hand. */
    private record Sql(boolean pg, String upsertStep, String upsertMessage, String upsertTimer,
                       String addToCounter) {
        static Sql postgres() {
            return new Sql(true, "INSERT INTO cascade_step (" + STEP_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (run_id, seq) DO UPDATE SET block_id = EXCLUDED.block_id, state = EXCLUDED.state,"
                + " entered_at = EXCLUDED.entered_at, deadline = EXCLUDED.deadline, message_id = EXCLUDED.message_id,"
                + " outcome = EXCLUDED.outcome, next_block = EXCLUDED.next_block",
                "INSERT INTO cascade_message (" + MESSAGE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, provider_ids = EXCLUDED.provider_ids,"
                + " parts = EXCLUDED.parts, status = EXCLUDED.status, segments = EXCLUDED.segments,"
                + " cost = EXCLUDED.cost, refunded = EXCLUDED.refunded, sent_at = EXCLUDED.sent_at,"
                + " error = EXCLUDED.error",
                "INSERT INTO cascade_timer (run_id, step, kind, due) VALUES (?,?,?,?) ON CONFLICT (run_id, step)"
                + " DO UPDATE SET kind = EXCLUDED.kind, due = EXCLUDED.due",
                "INSERT INTO cascade_counter (scheme_id, block_id, counter, amount) VALUES (?,?,?,?)"
                + " ON CONFLICT (scheme_id, block_id, counter) DO UPDATE SET amount = cascade_counter.amount"
                + " + EXCLUDED.amount");
        }

        static Sql h2() {
            return new Sql(false, "MERGE INTO cascade_step (" + STEP_COLUMNS + ") KEY (run_id, seq)"
                + " VALUES (?,?,?,?,?,?,?,?,?)",
                "MERGE INTO cascade_message (" + MESSAGE_COLUMNS + ") KEY (id)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                "MERGE INTO cascade_timer (run_id, step, kind, due) KEY (run_id, step) VALUES (?,?,?,?)",
                "MERGE INTO cascade_counter c USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(160)),"
                + " CAST(? AS VARCHAR(16)), CAST(? AS BIGINT))) d (scheme_id, block_id, counter, amount)"
                + " ON c.scheme_id = d.scheme_id AND c.block_id = d.block_id AND c.counter = d.counter"
                + " WHEN MATCHED THEN UPDATE SET amount = c.amount + d.amount"
                + " WHEN NOT MATCHED THEN INSERT (scheme_id, block_id, counter, amount)"
                + " VALUES (d.scheme_id, d.block_id, d.counter, d.amount)");
        }
    }

    private Sql sql(Connection c) throws SQLException {
        Sql s = sql;
        if (s == null) {
            s = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
                ? Sql.postgres() : Sql.h2();
            sql = s;
        }
        return s;
    }

    private static String prefixed(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    private static String marks(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }

    /** A reply as received, with the message it was matched to (or none). */
    public record StoredReply(String runId, String messageId, ChannelType channel, String from, String text,
                              Instant at) { }

    /** Keeps a reply (replies are shown per run; the engine itself only counts them). */
    public void saveReply(StoredReply r) {
        write("saving a reply from " + r.from(), c -> Rows.update(c, "INSERT INTO cascade_reply (run_id, message_id,"
            + " channel, sender, body, received_at) VALUES (?,?,?,?,?,?)", r.runId(), r.messageId(), r.channel().name(),
            r.from(), r.text(), r.at()));
    }

    /** A run's replies, oldest first. */
    public List<StoredReply> replies(String runId) {
        return Rows.list(ds, "reading replies", "SELECT run_id, message_id, channel, sender, body, received_at"
            + " FROM cascade_reply WHERE run_id = ? ORDER BY id", rs -> new StoredReply(rs.getString(1),
            rs.getString(2), ChannelType.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
            Rows.instant(rs, 6)), runId);
    }

    // --- helpers

    @FunctionalInterface
    private interface Statement {
        int run(Connection c) throws SQLException;
    }

    private void write(String what, Statement s) {
        try (Connection c = ds.getConnection()) {
            s.run(c);
        } catch (SQLException e) {
            throw new StorageException(what + " failed", e);
        }
    }

    private static Run run(ResultSet rs, int o) throws SQLException {
        Map<String, String> fields = read(rs.getString(o + 7), new TypeReference<Map<String, String>>() { });
        fields = fields == null ? Map.of() : fields;
        return new Run(rs.getString(o + 1), rs.getString(o + 2), rs.getString(o + 3), rs.getInt(o + 4),
            new Recipient(rs.getString(o + 5), rs.getString(o + 6), fields), RunState.valueOf(rs.getString(o + 8)),
            rs.getString(o + 9), rs.getInt(o + 10), Rows.instant(rs, o + 11), Rows.instant(rs, o + 12),
            rs.getString(o + 13));
    }

    private static Step step(ResultSet rs, int o) throws SQLException {
        return new Step(rs.getString(o + 1), rs.getInt(o + 2), rs.getString(o + 3),
            Step.StepState.valueOf(rs.getString(o + 4)), Rows.instant(rs, o + 5), Rows.instant(rs, o + 6),
            rs.getString(o + 7), rs.getString(o + 8), rs.getString(o + 9));
    }

    private static MessageRecord message(ResultSet rs) throws SQLException {
        return message(rs, 0);
    }

    private static MessageRecord message(ResultSet rs, int o) throws SQLException {
        List<String> pids = read(rs.getString(o + 10), new TypeReference<List<String>>() { });
        Map<String, String> raw = read(rs.getString(o + 11), new TypeReference<Map<String, String>>() { });
        Map<String, Status> parts = new LinkedHashMap<>();
        raw.forEach((k, v) -> parts.put(k, Status.valueOf(v)));
        String st = rs.getString(o + 12);
        return new MessageRecord(rs.getString(o + 1), rs.getString(o + 2), rs.getInt(o + 3), rs.getString(o + 4),
            rs.getString(o + 5), ChannelType.valueOf(rs.getString(o + 6)), rs.getString(o + 7), rs.getString(o + 8),
            MessageRecord.MessageState.valueOf(rs.getString(o + 9)), pids, parts,
            st == null ? null : Status.valueOf(st), rs.getInt(o + 13), rs.getLong(o + 14), rs.getBoolean(o + 15),
            Rows.instant(rs, o + 16), Rows.instant(rs, o + 17), rs.getString(o + 18));
    }

    private static Map<String, String> parts(Map<String, Status> parts) {
        Map<String, String> out = new LinkedHashMap<>();
        parts.forEach((k, v) -> out.put(k, v.name()));
        return out;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event as JSON (parked events; the cascade inbox). */
    static String json(ChannelEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("channel", e.channel().name());
        if (e instanceof ChannelEvent.StatusReport s) {
            n.put("type", "status").put("providerId", s.providerId()).put("status", s.status().name())
                .put("error", s.error()).put("at", s.at().toString());
        } else if (e instanceof ChannelEvent.IvrKey k) {
            n.put("type", "key").put("providerId", k.providerId()).put("key", k.key()).put("at", k.at().toString());
        } else if (e instanceof ChannelEvent.IvrMessage m) {
            n.put("type", "message").put("providerId", m.providerId()).put("event", m.event())
                .put("at", m.at().toString());
        } else if (e instanceof ChannelEvent.Reply r) {
            n.put("type", "reply").put("from", r.from()).put("to", r.to()).put("text", r.text())
                .put("at", r.at().toString());
        }
        return n.toString();
    }

    /** The event of {@link #json(ChannelEvent)}. */
    static ChannelEvent event(String text) {
        try {
            var n = JSON.readTree(text);
            ChannelType ch = ChannelType.valueOf(n.get("channel").asText());
            Instant at = Instant.parse(n.get("at").asText());
            switch (n.get("type").asText()) {
                case "status":
                    return new ChannelEvent.StatusReport(ch, n.get("providerId").asText(),
                        Status.valueOf(n.get("status").asText()), n.hasNonNull("error") ? n.get("error").asText() : null,
                        at);
                case "key":
                    return new ChannelEvent.IvrKey(ch, n.get("providerId").asText(), n.get("key").asText(), at);
                case "message":
                    return new ChannelEvent.IvrMessage(ch, n.get("providerId").asText(), n.get("event").asText(), at);
                default:
                    return new ChannelEvent.Reply(ch, n.get("from").asText(),
                        n.hasNonNull("to") ? n.get("to").asText() : null, n.get("text").asText(), at);
            }
        } catch (JsonProcessingException e) {
            throw new StorageException("a parked cascade event is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("stored JSON is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }
}

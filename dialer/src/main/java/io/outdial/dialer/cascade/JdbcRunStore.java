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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The cascade engine's {@link RunStore} in the node's database (tables {@code cascade_*}, migration V9), on H2 and
 * PostgreSQL. Blocking JDBC: the engine calls it on worker threads. Each method is one statement or a short
 * sequence of statements on an auto-commit connection, ordered so that any prefix of them can be resumed: an
 * "insert or replace" is an update, then an insert when no row was there, then the update again should another
 * writer have inserted first. Parking an early event and attaching provider ids each commit their write before
 * they read the other side, and whoever deletes a parked row applies its event, so an early receipt is never lost
 * and never applied twice.
 */
public final class JdbcRunStore implements RunStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String RUN_COLUMNS = "id, campaign_id, scheme_id, scheme_version, recipient_id, address,"
        + " fields, state, block_id, step, started_at, updated_at, reason";
    private static final String STEP_COLUMNS = "run_id, seq, block_id, state, entered_at, deadline, message_id,"
        + " outcome, next_block";
    private static final String MESSAGE_COLUMNS = "id, run_id, step, scheme_id, block_id, channel, address, body,"
        + " state, provider_ids, parts, status, segments, cost, refunded, created_at, sent_at, error";

    private final DataSource ds;

    public JdbcRunStore(DataSource ds) {
        this.ds = ds;
    }

    @Override
    public boolean insertRun(Run r) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "INSERT INTO cascade_run (" + RUN_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.campaignId(), r.schemeId(), r.schemeVersion(), r.recipient().id(), r.recipient().address(),
                json(r.recipient().fields()), r.state().name(), r.blockId(), r.step(), r.startedAt(), r.updatedAt(),
                cut(r.reason()));
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new StorageException("inserting cascade run " + r.id() + " failed", e);
        }
    }

    @Override
    public Optional<Run> run(String runId) {
        return Rows.first(ds, "reading cascade run " + runId, "SELECT " + RUN_COLUMNS
            + " FROM cascade_run WHERE id = ?", JdbcRunStore::run, runId);
    }

    @Override
    public void updateRun(Run r) {
        write("updating cascade run " + r.id(), c -> Rows.update(c, "UPDATE cascade_run SET state = ?, block_id = ?,"
            + " step = ?, updated_at = ?, reason = ? WHERE id = ?", r.state().name(), r.blockId(), r.step(),
            r.updatedAt(), cut(r.reason()), r.id()));
    }

    @Override
    public List<Run> activeRuns() {
        return Rows.list(ds, "reading active cascade runs", "SELECT " + RUN_COLUMNS
            + " FROM cascade_run WHERE state IN ('RUNNING', 'WAITING') ORDER BY started_at, id", JdbcRunStore::run);
    }

    /** A campaign's runs, by recipient id order, at most {@code limit} after {@code offset}. */
    public List<Run> runsOf(String campaignId, int limit, long offset) {
        return Rows.list(ds, "reading cascade runs of " + campaignId, "SELECT " + RUN_COLUMNS
            + " FROM cascade_run WHERE campaign_id = ? ORDER BY started_at, id LIMIT ? OFFSET ?", JdbcRunStore::run,
            campaignId, limit, offset);
    }

    /** Number of runs of a campaign. */
    public long runCount(String campaignId) {
        return Rows.count(ds, "counting cascade runs", "SELECT COUNT(*) FROM cascade_run WHERE campaign_id = ?",
            campaignId);
    }

    @Override
    public void saveStep(Step s) {
        upsert("saving step " + s.seq() + " of cascade run " + s.runId(),
            c -> Rows.update(c, "UPDATE cascade_step SET block_id = ?, state = ?, entered_at = ?, deadline = ?,"
                + " message_id = ?, outcome = ?, next_block = ? WHERE run_id = ? AND seq = ?", s.blockId(),
                s.state().name(), s.enteredAt(), s.deadline(), s.messageId(), cut(s.outcome()), s.next(), s.runId(),
                s.seq()),
            c -> Rows.update(c, "INSERT INTO cascade_step (" + STEP_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?)",
                s.runId(), s.seq(), s.blockId(), s.state().name(), s.enteredAt(), s.deadline(), s.messageId(),
                cut(s.outcome()), s.next()));
    }

    @Override
    public Optional<Step> step(String runId, int seq) {
        return Rows.first(ds, "reading a cascade step", "SELECT " + STEP_COLUMNS
            + " FROM cascade_step WHERE run_id = ? AND seq = ?", JdbcRunStore::step, runId, seq);
    }

    @Override
    public List<Step> steps(String runId) {
        return Rows.list(ds, "reading cascade steps", "SELECT " + STEP_COLUMNS
            + " FROM cascade_step WHERE run_id = ? ORDER BY seq", JdbcRunStore::step, runId);
    }

    @Override
    public void saveMessage(MessageRecord m) {
        upsert("saving cascade message " + m.id(),
            c -> Rows.update(c, "UPDATE cascade_message SET state = ?, provider_ids = ?, parts = ?, status = ?,"
                + " segments = ?, cost = ?, refunded = ?, sent_at = ?, error = ? WHERE id = ?", m.state().name(),
                json(m.providerIds()), json(parts(m.parts())), m.status() == null ? null : m.status().name(),
                m.segments(), m.cost(), m.refunded(), m.sentAt(), cut(m.error()), m.id()),
            c -> Rows.update(c, "INSERT INTO cascade_message (" + MESSAGE_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", m.id(), m.runId(), m.step(), m.schemeId(),
                m.blockId(), m.channel().name(), m.address(), m.text(), m.state().name(), json(m.providerIds()),
                json(parts(m.parts())), m.status() == null ? null : m.status().name(), m.segments(), m.cost(),
                m.refunded(), m.createdAt(), m.sentAt(), cut(m.error())));
    }

    @Override
    public Optional<MessageRecord> message(String messageId) {
        return Rows.first(ds, "reading cascade message " + messageId, "SELECT " + MESSAGE_COLUMNS
            + " FROM cascade_message WHERE id = ?", JdbcRunStore::message, messageId);
    }

    @Override
    public List<MessageRecord> messages(String runId) {
        return Rows.list(ds, "reading cascade messages", "SELECT " + MESSAGE_COLUMNS
            + " FROM cascade_message WHERE run_id = ? ORDER BY step, created_at", JdbcRunStore::message, runId);
    }

    @Override
    public List<ChannelEvent> attachProviderIds(String messageId, ChannelType channel, List<String> providerIds) {
        List<ChannelEvent> out = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            for (String pid : providerIds) {
                try {
                    Rows.update(c, "INSERT INTO cascade_provider_id (channel, provider_id, message_id) VALUES (?,?,?)",
                        channel.name(), pid, messageId);
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            // committed above; now every event parked before it is visible, and later ones find the id themselves
            for (String pid : providerIds) {
                for (Object[] p : Rows.list(c, "SELECT id, event FROM cascade_parked WHERE channel = ? AND provider_id = ?"
                    + " ORDER BY id", rs -> new Object[] {rs.getLong(1), rs.getString(2)}, channel.name(), pid)) {
                    if (Rows.update(c, "DELETE FROM cascade_parked WHERE id = ?", p[0]) == 1) {
                        out.add(event((String) p[1]));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("attaching provider ids to cascade message " + messageId + " failed", e);
        }
    }

    @Override
    public Optional<MessageRecord> findOrPark(ChannelType channel, String providerId, ChannelEvent event) {
        try (Connection c = ds.getConnection()) {
            Optional<String> owner = owner(c, channel, providerId);
            if (owner.isPresent()) {
                return message(owner.get());
            }
            Rows.update(c, "INSERT INTO cascade_parked (channel, provider_id, event) VALUES (?,?,?)", channel.name(),
                providerId, json(event));
            List<Long> ids = Rows.list(c, "SELECT MAX(id) FROM cascade_parked WHERE channel = ? AND provider_id = ?",
                rs -> rs.getLong(1), channel.name(), providerId);
            // parked and committed; the id may have been attached meanwhile: then take the event back if still there
            owner = owner(c, channel, providerId);
            if (owner.isPresent() && !ids.isEmpty()
                && Rows.update(c, "DELETE FROM cascade_parked WHERE id = ?", ids.get(0)) == 1) {
                return message(owner.get());
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StorageException("finding the message of provider id " + providerId + " failed", e);
        }
    }

    private static Optional<String> owner(Connection c, ChannelType channel, String providerId) throws SQLException {
        List<String> ids = Rows.list(c, "SELECT message_id FROM cascade_provider_id WHERE channel = ? AND provider_id = ?",
            rs -> rs.getString(1), channel.name(), providerId);
        return ids.isEmpty() ? Optional.empty() : Optional.of(ids.get(0));
    }

    @Override
    public Optional<MessageRecord> latestMessageTo(ChannelType channel, String address) {
        return Rows.first(ds, "reading the latest message to " + address, "SELECT " + MESSAGE_COLUMNS
            + " FROM cascade_message WHERE channel = ? AND address = ? AND state = 'SUBMITTED'"
            + " ORDER BY created_at DESC, id DESC LIMIT 1", JdbcRunStore::message, channel.name(), address);
    }

    @Override
    public boolean recordStatus(ChannelType channel, String providerId, Status status) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "INSERT INTO cascade_status_seen (channel, provider_id, status) VALUES (?,?,?)",
                channel.name(), providerId, status.name());
            return true;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw new StorageException("recording status " + status + " of " + providerId + " failed", e);
        }
    }

    @Override
    public int sendsSince(String address, ChannelType channel, Instant from) {
        return (int) Rows.count(ds, "counting messages to " + address, "SELECT COUNT(*) FROM cascade_message"
            + " WHERE channel = ? AND address = ? AND created_at >= ? AND state <> 'FAILED'", channel.name(), address,
            from);
    }

    @Override
    public void saveTimer(Timer t) {
        upsert("saving the timer of cascade run " + t.runId(),
            c -> Rows.update(c, "UPDATE cascade_timer SET kind = ?, due = ? WHERE run_id = ? AND step = ?",
                t.kind().name(), t.due(), t.runId(), t.step()),
            c -> Rows.update(c, "INSERT INTO cascade_timer (run_id, step, kind, due) VALUES (?,?,?,?)", t.runId(),
                t.step(), t.kind().name(), t.due()));
    }

    @Override
    public void deleteTimer(String runId, int step) {
        write("deleting the timer of cascade run " + runId, c -> Rows.update(c,
            "DELETE FROM cascade_timer WHERE run_id = ? AND step = ?", runId, step));
    }

    @Override
    public List<Timer> dueTimers(Instant now, int limit) {
        return Rows.list(ds, "reading due cascade timers", "SELECT run_id, step, kind, due FROM cascade_timer"
            + " WHERE due <= ? ORDER BY due, run_id, step LIMIT ?", rs -> new Timer(rs.getString(1), rs.getInt(2),
            Timer.Kind.valueOf(rs.getString(3)), Rows.instant(rs, 4)), now, limit);
    }

    @Override
    public int timerCount() {
        return (int) Rows.count(ds, "counting cascade timers", "SELECT COUNT(*) FROM cascade_timer");
    }

    @Override
    public void book(CostEntry e) {
        write("booking the cost of cascade message " + e.messageId(), c -> Rows.update(c, "INSERT INTO cascade_cost"
            + " (run_id, campaign_id, scheme_id, block_id, message_id, channel, units, amount, booked_at)"
            + " VALUES (?,?,?,?,?,?,?,?,?)", e.runId(), e.campaignId(), e.schemeId(), e.blockId(), e.messageId(),
            e.channel().name(), e.units(), e.amount(), e.at()));
    }

    @Override
    public List<CostEntry> costs(String runId) {
        return Rows.list(ds, "reading cascade costs", "SELECT run_id, campaign_id, scheme_id, block_id, message_id,"
            + " channel, units, amount, booked_at FROM cascade_cost WHERE run_id = ? ORDER BY id",
            rs -> new CostEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                ChannelType.valueOf(rs.getString(6)), rs.getInt(7), rs.getLong(8), Rows.instant(rs, 9)), runId);
    }

    @Override
    public Map<String, Long> costByBlock(String schemeId) {
        Map<String, Long> out = new LinkedHashMap<>();
        Rows.list(ds, "reading cascade costs by block", "SELECT block_id, SUM(amount) FROM cascade_cost"
            + " WHERE scheme_id = ? GROUP BY block_id ORDER BY block_id", rs -> out.put(rs.getString(1), rs.getLong(2)),
            schemeId);
        return out;
    }

    @Override
    public long campaignCost(String campaignId) {
        return Rows.count(ds, "reading the cost of campaign " + campaignId,
            "SELECT COALESCE(SUM(amount), 0) FROM cascade_cost WHERE campaign_id = ?", campaignId);
    }

    @Override
    public void addCounter(String schemeId, String blockId, Counter counter, long delta) {
        upsert("counting " + counter + " of " + schemeId + "/" + blockId,
            c -> Rows.update(c, "UPDATE cascade_counter SET amount = amount + ? WHERE scheme_id = ? AND block_id = ?"
                + " AND counter = ?", delta, schemeId, blockId, counter.name()),
            c -> Rows.update(c, "INSERT INTO cascade_counter (scheme_id, block_id, counter, amount) VALUES (?,?,?,?)",
                schemeId, blockId, counter.name(), delta));
    }

    @Override
    public Map<String, Map<Counter, Long>> counters(String schemeId) {
        Map<String, Map<Counter, Long>> out = new LinkedHashMap<>();
        Rows.list(ds, "reading cascade counters", "SELECT block_id, counter, amount FROM cascade_counter"
            + " WHERE scheme_id = ? ORDER BY block_id, counter", rs -> out.computeIfAbsent(rs.getString(1),
                k -> new EnumMap<>(Counter.class)).put(Counter.valueOf(rs.getString(2)), rs.getLong(3)), schemeId);
        return out;
    }

    /** Every scheme that has counters. */
    public List<String> countedSchemes() {
        return Rows.list(ds, "reading counted schemes", "SELECT DISTINCT scheme_id FROM cascade_counter ORDER BY"
            + " scheme_id", rs -> rs.getString(1));
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

    /**
     * One contact's run for reports.
     *
     * @param path     the blocks it went through, joined by {@code >}
     * @param state    the run's state
     * @param statuses each channel's final status (or the message state when it has none), by channel
     * @param replies  the replies received, oldest first
     * @param cost     net cost in minor units
     */
    public record RunSummary(String path, String state, Map<String, String> statuses, List<String> replies,
                             long cost) { }

    /** Every run of a campaign summarised, by recipient (contact) id. Holds the campaign's runs in memory. */
    public Map<String, RunSummary> summaries(String campaignId) {
        Map<String, String> recipientOf = new LinkedHashMap<>();
        Map<String, String> states = new LinkedHashMap<>();
        Rows.list(ds, "reading runs", "SELECT id, recipient_id, state FROM cascade_run WHERE campaign_id = ?", rs -> {
            recipientOf.put(rs.getString(1), rs.getString(2));
            return states.put(rs.getString(1), rs.getString(3));
        }, campaignId);
        if (recipientOf.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> paths = new LinkedHashMap<>();
        Rows.list(ds, "reading run paths", "SELECT s.run_id, s.block_id FROM cascade_step s JOIN cascade_run r"
            + " ON r.id = s.run_id WHERE r.campaign_id = ? ORDER BY s.run_id, s.seq", rs -> paths.computeIfAbsent(
            rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)), campaignId);
        Map<String, Map<String, String>> statuses = new LinkedHashMap<>();
        Map<String, Long> costs = new LinkedHashMap<>();
        Rows.list(ds, "reading run messages", "SELECT m.run_id, m.channel, m.status, m.state, m.cost FROM"
            + " cascade_message m JOIN cascade_run r ON r.id = m.run_id WHERE r.campaign_id = ? ORDER BY m.run_id,"
            + " m.step", rs -> {
                String st = rs.getString(3);
                statuses.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(
                    ChannelType.valueOf(rs.getString(2)).json(), st == null
                        ? rs.getString(4).toLowerCase(java.util.Locale.ROOT) : Status.valueOf(st).json());
                return costs.merge(rs.getString(1), rs.getLong(5), Long::sum);
            }, campaignId);
        Map<String, List<String>> replies = new LinkedHashMap<>();
        Rows.list(ds, "reading run replies", "SELECT p.run_id, p.body FROM cascade_reply p JOIN cascade_run r"
            + " ON r.id = p.run_id WHERE r.campaign_id = ? ORDER BY p.id", rs -> replies.computeIfAbsent(
            rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)), campaignId);
        Map<String, RunSummary> out = new LinkedHashMap<>();
        recipientOf.forEach((run, recipient) -> out.put(recipient, new RunSummary(
            String.join(">", paths.getOrDefault(run, List.of())), states.get(run),
            statuses.getOrDefault(run, Map.of()), replies.getOrDefault(run, List.of()), costs.getOrDefault(run, 0L))));
        return out;
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

    /** Update; when no row was there, insert; when another writer inserted first, update again. */
    private void upsert(String what, Statement update, Statement insert) {
        try (Connection c = ds.getConnection()) {
            if (update.run(c) > 0) {
                return;
            }
            try {
                insert.run(c);
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                update.run(c);
            }
        } catch (SQLException e) {
            throw new StorageException(what + " failed", e);
        }
    }

    private static Run run(ResultSet rs) throws SQLException {
        Map<String, String> fields = read(rs.getString(7), new TypeReference<Map<String, String>>() { });
        fields = fields == null ? Map.of() : fields;
        return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            new Recipient(rs.getString(5), rs.getString(6), fields), RunState.valueOf(rs.getString(8)),
            rs.getString(9), rs.getInt(10), Rows.instant(rs, 11), Rows.instant(rs, 12), rs.getString(13));
    }

    private static Step step(ResultSet rs) throws SQLException {
        return new Step(rs.getString(1), rs.getInt(2), rs.getString(3), Step.StepState.valueOf(rs.getString(4)),
            Rows.instant(rs, 5), Rows.instant(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static MessageRecord message(ResultSet rs) throws SQLException {
        List<String> pids = read(rs.getString(10), new TypeReference<List<String>>() { });
        Map<String, String> raw = read(rs.getString(11), new TypeReference<Map<String, String>>() { });
        Map<String, Status> parts = new LinkedHashMap<>();
        raw.forEach((k, v) -> parts.put(k, Status.valueOf(v)));
        String st = rs.getString(12);
        return new MessageRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
            ChannelType.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8),
            MessageRecord.MessageState.valueOf(rs.getString(9)), pids, parts, st == null ? null : Status.valueOf(st),
            rs.getInt(13), rs.getLong(14), rs.getBoolean(15), Rows.instant(rs, 16), Rows.instant(rs, 17),
            rs.getString(18));
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

    private static String json(ChannelEvent e) {
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

    private static ChannelEvent event(String text) {
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

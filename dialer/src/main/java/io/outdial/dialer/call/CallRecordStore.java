package io.outdial.dialer.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.ivr.spi.FlowResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * JDBC store of {@link CallRecord}s (table {@code call_records}, migration V2): the reads (blocking: callers run them
 * on a worker, never on an event loop). Rows are written only through {@link CallRecordWriter}. Portable SQL for H2
 * and PostgreSQL.
 */
public final class CallRecordStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String COLUMNS = "attempt_id, campaign_id, contact_id, phone, trunk, caller_id, ari_server,"
            + " channel_id, state, originate_at, ring_at, answer_at, end_at, outcome, cause, outcome_detail,"
            + " amd_status, amd_cause, dtmf, recordings, flow_result";

    private final Supplier<DataSource> dataSource;
    private final Supplier<String> nodeId;

    /** A store over a data source whose schema has migration V2 applied. */
    public CallRecordStore(DataSource dataSource) {
        this(() -> dataSource);
    }

    /** A store over the data source {@code dataSource} gives when asked (a database started later). */
    public CallRecordStore(Supplier<DataSource> dataSource) {
        this(dataSource, () -> null);
    }

    /**
     * As above; rows this store saves carry {@code nodeId}'s answer (the node that started or took over the
     * attempt; column {@code node_id}, migration V12).
     */
    public CallRecordStore(Supplier<DataSource> dataSource, Supplier<String> nodeId) {
        this.dataSource = dataSource;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /**
     * Inserts or replaces the row of the record's attempt on {@code c} (inside the caller's transaction). Only
     * {@link CallRecordWriter} calls this: it is the one writer of {@code call_records}, keeping each call's records
     * in order.
     */
    void save(Connection c, CallRecord r) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE call_records SET campaign_id=?, contact_id=?,"
                + " phone=?, trunk=?, caller_id=?, ari_server=?, channel_id=?, state=?, originate_at=?, ring_at=?,"
                + " answer_at=?, end_at=?, outcome=?, cause=?, outcome_detail=?, amd_status=?, amd_cause=?,"
                + " dtmf=?, recordings=?, flow_result=?, node_id=? WHERE attempt_id=?")) {
            bind(up, r, 1);
            up.setString(21, node());
            up.setString(22, r.attemptId());
            if (up.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO call_records (campaign_id, contact_id, phone,"
                + " trunk, caller_id, ari_server, channel_id, state, originate_at, ring_at, answer_at, end_at,"
                + " outcome, cause, outcome_detail, amd_status, amd_cause, dtmf, recordings, flow_result,"
                + " node_id, attempt_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            bind(in, r, 1);
            in.setString(21, node());
            in.setString(22, r.attemptId());
            in.executeUpdate();
        }
    }

    private String node() {
        String id = nodeId.get();
        return id == null || id.isEmpty() ? null : truncate(id, 64);
    }

    private static void bind(PreparedStatement s, CallRecord r, int i) throws SQLException {
        s.setString(i++, r.campaignId());
        s.setString(i++, r.contactId());
        s.setString(i++, r.phone());
        s.setString(i++, r.trunk());
        s.setString(i++, r.callerId());
        s.setString(i++, r.server());
        s.setString(i++, r.channelId());
        s.setString(i++, r.state().name());
        for (Instant t : new Instant[] {r.originateAt(), r.ringAt(), r.answerAt(), r.endAt()}) {
            if (t == null) {
                s.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                s.setObject(i++, t.atOffset(ZoneOffset.UTC));
            }
        }
        CallOutcome o = r.outcome();
        s.setString(i++, o == null ? null : o.kind().name());
        if (o == null) {
            s.setNull(i++, Types.INTEGER);
        } else {
            s.setInt(i++, o.cause());
        }
        s.setString(i++, o == null ? null : truncate(o.detail(), 1000));
        s.setString(i++, r.amdStatus());
        s.setString(i++, r.amdCause());
        s.setString(i++, truncate(r.dtmf(), 512));
        s.setString(i++, String.join("\n", r.recordings()));
        s.setString(i, o == null || o.flowResult() == null ? null : toJson(r.attemptId(), o.flowResult()));
    }

    /** The record of an attempt. */
    public Optional<CallRecord> find(String attemptId) {
        List<CallRecord> rows = query("SELECT " + COLUMNS + " FROM call_records WHERE attempt_id = ?", attemptId);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Attempts on a server that have not ended (to reconcile after a crash). */
    public List<CallRecord> findUnfinished(String server) {
        return query("SELECT " + COLUMNS + " FROM call_records WHERE state <> 'ENDED' AND ari_server = ?"
                + " ORDER BY originate_at", server);
    }

    /**
     * Attempts on a server that have not ended and that {@code recoverable} accepts by the id of the node that
     * started them (null for rows older than the column): a node reconciles only its own attempts and a dead
     * node's, never those another live node follows.
     */
    public List<CallRecord> findUnfinished(String server, java.util.function.Predicate<String> recoverable) {
        List<CallRecord> out = new ArrayList<>();
        Rows.list(dataSource.get(), "reading the unfinished attempts on " + server, "SELECT " + COLUMNS
            + ", node_id FROM call_records WHERE state <> 'ENDED' AND ari_server = ? ORDER BY originate_at",
            rs -> recoverable.test(rs.getString("node_id")) ? read(rs) : null, server)
            .forEach(r -> {
                if (r != null) {
                    out.add(r);
                }
            });
        return out;
    }

    /** The id of the node that last wrote an attempt's row ({@code node_id}), if the row exists and has one. */
    public Optional<String> nodeOf(String attemptId) {
        List<String> rows = Rows.list(dataSource.get(), "reading the node of attempt " + attemptId,
            "SELECT node_id FROM call_records WHERE attempt_id = ?", rs -> rs.getString(1), attemptId);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The attempts on one contact of a campaign, oldest first (through the (campaign, contact) index). */
    public List<CallRecord> forContact(String campaignId, String contactId) {
        return query("SELECT " + COLUMNS + " FROM call_records WHERE campaign_id = ? AND contact_id = ?"
                + " ORDER BY originate_at, attempt_id", campaignId, contactId);
    }

    private List<CallRecord> query(String sql, String... params) {
        try (Connection c = dataSource.get().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<CallRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StorageException("reading call records " + Arrays.toString(params) + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static CallRecord read(ResultSet rs) throws SQLException {
        String attemptId = rs.getString("attempt_id");
        String outcome = rs.getString("outcome");
        String flowJson = rs.getString("flow_result");
        CallOutcome o = outcome == null ? null : new CallOutcome(OutcomeKind.valueOf(outcome), rs.getInt("cause"),
                rs.getString("outcome_detail"), flowJson == null ? null : fromJson(attemptId, flowJson));
        String recs = rs.getString("recordings");
        return new CallRecord(attemptId, rs.getString("campaign_id"), rs.getString("contact_id"), rs.getString("phone"),
                rs.getString("trunk"), rs.getString("caller_id"), rs.getString("ari_server"),
                rs.getString("channel_id"), CallState.valueOf(rs.getString("state")), time(rs, "originate_at"),
                time(rs, "ring_at"), time(rs, "answer_at"), time(rs, "end_at"), o, rs.getString("amd_status"),
                rs.getString("amd_cause"), rs.getString("dtmf"),
                recs == null || recs.isEmpty() ? List.of() : Arrays.asList(recs.split("\n")));
    }

    private static Instant time(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String toJson(String attemptId, FlowResult result) {
        try {
            return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("flow result of attempt " + attemptId + " is not serialisable", e);
        }
    }

    private static FlowResult fromJson(String attemptId, String json) {
        try {
            return JSON.readValue(json, FlowResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("flow result of attempt " + attemptId + " is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * The ARI server of the latest call whose recordings list {@code ref} ({@code recording:<name>}), among the 20
     * latest calls whose recordings mention it.
     */
    public Optional<String> serverOfRecording(String ref) {
        String like = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        List<String[]> rows = Rows.list(dataSource.get(), "finding the call of " + ref, "SELECT ari_server, recordings"
            + " FROM call_records WHERE recordings LIKE ? ESCAPE '\\' ORDER BY originate_at DESC LIMIT 20",
            rs -> new String[] {rs.getString(1), rs.getString(2)}, like);
        for (String[] r : rows) {
            if (r[1] != null && Arrays.asList(r[1].split("\n")).contains(ref)) {
                return Optional.ofNullable(r[0]);
            }
        }
        return Optional.empty();
    }
}

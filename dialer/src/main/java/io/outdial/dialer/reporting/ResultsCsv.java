package io.outdial.dialer.reporting;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outdial.dialer.contact.JdbcContactStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The results file of a headless run and of {@code GET /api/v1/campaigns/{id}/results.csv}: one row per visible
 * contact (not those of an import still running) with {@code id, phone, state, outcome, attempts,
 * last_outcome, last_attempt_at, goal}, then one {@code answer_<node>} column per gather node seen in the
 * flow results (the last attempt that ran the flow). Blocking (JDBC, file).
 *
 * <p>Memory stays flat whatever the campaign size: a first pass over the flow results collects only the answer
 * column names; the second reads the contacts and the flow results both ordered by contact id and merges them,
 * holding one contact's last flow result at a time, and the same for the messaging-fallback runs
 * ({@link RunColumns}; the database sorts; rows are fetched in batches).
 */
final class ResultsCsv {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH = 1000;
    private static final String FLOWS = "SELECT CAST(contact_id AS BIGINT) AS cid, flow_result FROM call_records"
            + " WHERE campaign_id = ? AND contact_id IS NOT NULL AND flow_result IS NOT NULL";

    private ResultsCsv() { }

    /** Writes the results of {@code campaignId} to {@code out}; returns the number of contact rows. */
    static int write(DataSource ds, String campaignId, Path out) {
        return write(ds, campaignId, out, rows -> { });
    }

    /** How many rows the results of {@code campaignId} have now (its visible contacts). */
    static long rows(DataSource ds, String campaignId) {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM contact WHERE campaign_id = ?"
                 + JdbcContactStore.VISIBLE)) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting the results of campaign " + campaignId + " failed: "
                + e.getMessage(), e);
        }
    }

    /** As {@link #write(DataSource, String, Path)}, telling {@code rowsDone} the rows written so far after each. */
    static int write(DataSource ds, String campaignId, Path out, LongConsumer rowsDone) {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams a result set with a fetch size only inside a transaction
            try {
                return write(c, campaignId, out, rowsDone);
            } finally {
                c.rollback();
                c.setAutoCommit(auto);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("writing the results of campaign " + campaignId + " to " + out
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static int write(Connection c, String campaignId, Path out, LongConsumer rowsDone)
            throws SQLException, IOException {
        TreeSet<String> nodes = answerNodes(c, campaignId);
        List<String> header = new ArrayList<>(List.of("id", "phone", "state", "outcome", "attempts",
                "last_outcome", "last_attempt_at", "goal"));
        nodes.forEach(n -> header.add("answer_" + n));
        // messaging fallback: per contact the path its run took, each channel's final status, replies and cost
        boolean withRuns = RunColumns.any(c, campaignId);
        TreeSet<String> channels = withRuns ? RunColumns.channels(c, campaignId) : new TreeSet<>();
        if (withRuns) {
            header.addAll(List.of("cascade_path", "cascade_state"));
            channels.forEach(ch -> header.add(ch + "_status"));
            header.addAll(List.of("replies", "cost"));
        }
        int rows = 0;
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                     .setHeader(io.outdial.dialer.csv.CsvCells.neutralise(header).toArray(new String[0])).get());
             PreparedStatement contacts = c.prepareStatement("SELECT id, ext_id, phone, state, result, attempts,"
                     + " last_outcome, last_attempt_at FROM contact WHERE campaign_id = ?" + JdbcContactStore.VISIBLE
                     + " ORDER BY campaign_id, id");
             PreparedStatement flows = c.prepareStatement(FLOWS + " ORDER BY cid, end_at");
             RunColumns runs = withRuns ? new RunColumns(c, campaignId) : null) {
            contacts.setString(1, campaignId);
            contacts.setFetchSize(FETCH);
            flows.setString(1, campaignId);
            flows.setFetchSize(FETCH);
            try (ResultSet rs = contacts.executeQuery(); ResultSet fr = flows.executeQuery()) {
                ByContact flowResults = new ByContact(fr);
                while (rs.next()) {
                    long id = rs.getLong(1);
                    JsonNode flow = lastFlow(flowResults, id);
                    OffsetDateTime at = rs.getObject(8, OffsetDateTime.class);
                    List<Object> row = new ArrayList<>(List.of(rs.getString(2) == null ? Long.toString(id)
                            : rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5) == null ? "" : rs.getString(5), rs.getInt(6),
                            rs.getString(7) == null ? "" : rs.getString(7), at == null ? "" : at.toInstant().toString(),
                            flow == null || flow.path("goalName").isNull() ? "" : flow.path("goalName").asText("")));
                    for (String n : nodes) {
                        row.add(flow == null ? "" : flow.path("answers").path(n).asText(""));
                    }
                    if (runs != null) {
                        RunColumns.RunSummary r = runs.of(id);
                        row.add(r == null ? "" : r.path());
                        row.add(r == null ? "" : r.state());
                        for (String ch : channels) {
                            row.add(r == null ? "" : r.statuses().getOrDefault(ch, ""));
                        }
                        row.add(r == null ? "" : String.join(" | ", r.replies()));
                        row.add(r == null ? "" : Long.toString(r.cost()));
                    }
                    csv.printRecord(io.outdial.dialer.csv.CsvCells.neutralise(row.toArray()));
                    rows++;
                    rowsDone.accept(rows);
                }
            }
        }
        return rows;
    }

    /** The last flow result of contact {@code id} (flow results ordered by contact and end time), or null. */
    private static JsonNode lastFlow(ByContact flows, long id) throws SQLException, IOException {
        String last = null;
        while (flows.at(id)) {
            last = flows.rs.getString(2);
            flows.advance();
        }
        return last == null ? null : JSON.readTree(last);
    }

    /** The answer node names over all flow results (the only thing the first pass keeps). */
    private static TreeSet<String> answerNodes(Connection c, String campaignId) throws SQLException, IOException {
        TreeSet<String> nodes = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(FLOWS)) {
            ps.setString(1, campaignId);
            ps.setFetchSize(FETCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    JSON.readTree(rs.getString(2)).path("answers").fieldNames().forEachRemaining(nodes::add);
                }
            }
        }
        return nodes;
    }
}

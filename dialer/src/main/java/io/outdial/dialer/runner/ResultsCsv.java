package io.outdial.dialer.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The results file of a headless run: one row per contact with {@code id, phone, state, outcome, attempts,
 * last_outcome, last_attempt_at, goal}, then one {@code answer_<node>} column per gather node seen in the
 * flow results (the last attempt that ran the flow). Blocking (JDBC, file).
 */
public final class ResultsCsv {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsCsv() { }

    /** Writes the results of {@code campaignId} to {@code out}; returns the number of contact rows. */
    public static int write(DataSource ds, String campaignId, Path out) {
        try (Connection c = ds.getConnection()) {
            Map<String, JsonNode> flows = lastFlowResults(c, campaignId);
            TreeSet<String> nodes = new TreeSet<>();
            flows.values().forEach(f -> f.path("answers").fieldNames().forEachRemaining(nodes::add));
            List<String> header = new ArrayList<>(List.of("id", "phone", "state", "outcome", "attempts",
                    "last_outcome", "last_attempt_at", "goal"));
            nodes.forEach(n -> header.add("answer_" + n));
            int rows = 0;
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
                 CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                         .setHeader(header.toArray(new String[0])).get());
                 PreparedStatement ps = c.prepareStatement("SELECT id, ext_id, phone, state, result, attempts,"
                         + " last_outcome, last_attempt_at FROM contact WHERE campaign_id = ? ORDER BY id")) {
                ps.setString(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        JsonNode flow = flows.get(id);
                        OffsetDateTime last = rs.getObject(8, OffsetDateTime.class);
                        List<Object> row = new ArrayList<>(List.of(rs.getString(2) == null ? id : rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5) == null ? "" : rs.getString(5),
                                rs.getInt(6), rs.getString(7) == null ? "" : rs.getString(7),
                                last == null ? "" : last.toInstant().toString(),
                                flow == null || flow.path("goalName").isNull() ? "" : flow.path("goalName").asText("")));
                        for (String n : nodes) {
                            row.add(flow == null ? "" : flow.path("answers").path(n).asText(""));
                        }
                        csv.printRecord(row);
                        rows++;
                    }
                }
            }
            return rows;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("writing the results of campaign " + campaignId + " to " + out
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, JsonNode> lastFlowResults(Connection c, String campaignId)
            throws SQLException, IOException {
        Map<String, JsonNode> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT contact_id, flow_result FROM call_records"
                + " WHERE campaign_id = ? AND flow_result IS NOT NULL ORDER BY end_at")) {
            ps.setString(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), JSON.readTree(rs.getString(2)));
                }
            }
        }
        return new LinkedHashMap<>(out);
    }
}

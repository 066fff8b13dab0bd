package io.outdial.dialer.reporting;

import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The messaging-fallback columns of the results (each contact's run: path, state, each channel's last status,
 * replies, cost), read alongside the contacts in contact-id order: four cursors over the campaign's runs, steps,
 * messages and replies, each ordered by contact id, of which only the current contact's rows are held, so memory
 * stays flat whatever the number of runs (the database sorts; rows are fetched in batches). A campaign's run is
 * {@code <campaign>/<contactId>} with the contact id as recipient. Blocking JDBC, on the caller's connection.
 */
final class RunColumns implements AutoCloseable {
    /**
     * One contact's run for reports.
     *
     * @param path     the blocks it went through, joined by {@code >}
     * @param state    the run's state
     * @param statuses each channel's final status (or the message state when it has none), by channel
     * @param replies  the replies received, oldest first
     * @param cost     net cost in minor units
     */
    record RunSummary(String path, String state, Map<String, String> statuses, List<String> replies, long cost) { }

    private static final int FETCH = 1000;
    private static final String CONTACT = "CAST(r.recipient_id AS BIGINT)";
    private final List<PreparedStatement> statements = new ArrayList<>();
    private final ByContact runs;
    private final ByContact steps;
    private final ByContact messages;
    private final ByContact replies;

    /** Whether the campaign has any run (no run: no messaging columns at all). */
    static boolean any(Connection c, String campaignId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM cascade_run WHERE campaign_id = ?"
                + " FETCH FIRST 1 ROWS ONLY")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The channels of the campaign's messages, by their JSON names ({@code sms}, {@code voice}, ...), sorted. */
    static TreeSet<String> channels(Connection c, String campaignId) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT m.channel FROM cascade_message m JOIN"
                + " cascade_run r ON r.id = m.run_id WHERE r.campaign_id = ?")) {
            s.setString(1, campaignId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(ChannelType.valueOf(rs.getString(1)).json());
                }
            }
        }
        return out;
    }

    RunColumns(Connection c, String campaignId) throws SQLException {
        runs = open(c, campaignId, "SELECT " + CONTACT + " AS cid, r.state FROM cascade_run r"
            + " WHERE r.campaign_id = ? ORDER BY cid");
        steps = open(c, campaignId, "SELECT " + CONTACT + " AS cid, s.block_id FROM cascade_step s JOIN cascade_run r"
            + " ON r.id = s.run_id WHERE r.campaign_id = ? ORDER BY cid, s.seq");
        messages = open(c, campaignId, "SELECT " + CONTACT + " AS cid, m.channel, m.status, m.state, m.cost FROM"
            + " cascade_message m JOIN cascade_run r ON r.id = m.run_id WHERE r.campaign_id = ? ORDER BY cid, m.step");
        replies = open(c, campaignId, "SELECT " + CONTACT + " AS cid, p.body FROM cascade_reply p JOIN cascade_run r"
            + " ON r.id = p.run_id WHERE r.campaign_id = ? ORDER BY cid, p.id");
    }

    private ByContact open(Connection c, String campaignId, String sql) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        statements.add(s);
        s.setFetchSize(FETCH);
        s.setString(1, campaignId);
        return new ByContact(s.executeQuery());
    }

    /** The run of contact {@code id} (ids asked in increasing order), or null when it has none. */
    RunSummary of(long id) throws SQLException {
        String state = null;
        while (runs.at(id)) {
            state = runs.rs.getString(2);
            runs.advance();
        }
        List<String> path = new ArrayList<>();
        while (steps.at(id)) {
            path.add(steps.rs.getString(2));
            steps.advance();
        }
        Map<String, String> statuses = new LinkedHashMap<>();
        long cost = 0;
        while (messages.at(id)) {
            String st = messages.rs.getString(3);
            statuses.put(ChannelType.valueOf(messages.rs.getString(2)).json(), st == null
                ? messages.rs.getString(4).toLowerCase(Locale.ROOT) : Status.valueOf(st).json());
            cost += messages.rs.getLong(5);
            messages.advance();
        }
        List<String> texts = new ArrayList<>();
        while (replies.at(id)) {
            texts.add(replies.rs.getString(2));
            replies.advance();
        }
        return state == null ? null : new RunSummary(String.join(">", path), state, statuses, texts, cost);
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement s : statements) {
            try {
                s.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}

package io.outdial.dialer.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.support.MigratedDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The results file on both databases: one row per contact in import order, each with its last flow result's
 * goal and answers (a later attempt wins, a contact without a flow result has empty answers), answer columns from
 * every flow result, other campaigns, records of deleted contacts and rows of an unpublished import ignored.
 */
class ResultsCsvTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Supplier<DataSource>) MigratedDatabases::h2),
                Arguments.of("PostgreSQL", (Supplier<DataSource>) MigratedDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void oneRowPerContactWithTheLastFlowResultsAnswers(String name, Supplier<DataSource> dbs) throws Exception {
        DataSource ds = dbs.get();
        List<Long> ids = contacts(ds, 12, 10, "res", ContactState.WAITING);
        // contact 0: two flow results, the later one wins; contact 3: q1 only; contact 7: q2 and a goal
        record(ds, "a1", "res", ids.get(0), 1, "{\"answers\":{\"q1\":\"1\"},\"goalName\":null}");
        record(ds, "a2", "res", ids.get(0), 5, "{\"answers\":{\"q1\":\"2\"},\"goalName\":\"interested\"}");
        record(ds, "a3", "res", ids.get(3), 2, "{\"answers\":{\"q1\":\"9\"}}");
        record(ds, "a4", "res", ids.get(7), 3, "{\"answers\":{\"q2\":\"yes\"},\"goalName\":\"done\"}");
        record(ds, "a5", "res", 999_999L, 4, "{\"answers\":{\"q1\":\"x\"}}"); // contact gone
        record(ds, "a6", "other", ids.get(3), 4, "{\"answers\":{\"q9\":\"x\"}}"); // another campaign
        // a row of an import still running (not published): not part of the campaign yet
        try (Connection c = ds.getConnection()) {
            c.createStatement().executeUpdate("INSERT INTO contact_import (id, campaign_id, source_name, state,"
                    + " started_at) VALUES (77, 'res', 'later.csv', 'RUNNING', CURRENT_TIMESTAMP)");
            c.createStatement().executeUpdate("INSERT INTO contact (campaign_id, import_id, ext_id, phone, phones,"
                    + " state, next_attempt_at) VALUES ('res', 77, 'pending', '+33612349999', 'mobile=+33612349999',"
                    + " 'WAITING', CURRENT_TIMESTAMP)");
        }
        Path out = dir.resolve("results-" + name + ".csv");

        int rows = ResultsCsv.write(ds, "res", out);

        List<String> lines = Files.readAllLines(out);
        assertThat(rows).isEqualTo(10);
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).isEqualTo(
                "id,phone,state,outcome,attempts,last_outcome,last_attempt_at,goal,answer_q1,answer_q2");
        assertThat(lines.get(1)).isEqualTo("ext0,+33612340000,WAITING,,0,,,interested,2,");
        assertThat(lines.get(4)).isEqualTo("ext3,+33612340003,WAITING,,0,,,,9,");
        assertThat(lines.get(8)).isEqualTo("ext7,+33612340007,WAITING,,0,,,done,,yes");
        assertThat(lines.get(2)).isEqualTo("ext1,+33612340001,WAITING,,0,,,,,");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eachContactsMessagingRunInItsColumns(String name, Supplier<DataSource> dbs) throws Exception {
        DataSource ds = dbs.get();
        List<Long> ids = contacts(ds, 5, 5, "fb", ContactState.CLOSED);
        // contact 1: busy, then the SMS delivered and a reply; contact 3: answered, done; contact 4: running, the SMS
        // sent; a run of a contact gone and one of another campaign are not rows
        run(ds, "fb", ids.get(1), "DONE", List.of("call", "sms", "delivered"));
        message(ds, "fb", ids.get(1), 0, "VOICE", "SUBMITTED", "BUSY", 0);
        message(ds, "fb", ids.get(1), 1, "SMS", "SUBMITTED", "DELIVERED", 5);
        reply(ds, "fb", ids.get(1), "yes please");
        reply(ds, "fb", ids.get(1), "thanks");
        run(ds, "fb", ids.get(3), "DONE", List.of("call", "done"));
        message(ds, "fb", ids.get(3), 0, "VOICE", "SUBMITTED", "ANSWERED", 0);
        run(ds, "fb", ids.get(4), "WAITING", List.of("call", "sms"));
        message(ds, "fb", ids.get(4), 0, "VOICE", "SUBMITTED", "NO_ANSWER", 0);
        message(ds, "fb", ids.get(4), 1, "SMS", "SUBMITTED", null, 7);
        run(ds, "fb", 999_999L, "DONE", List.of("call", "sms"));
        message(ds, "fb", 999_999L, 1, "SMS", "SUBMITTED", "DELIVERED", 5);
        run(ds, "other", ids.get(2), "DONE", List.of("call", "sms"));
        message(ds, "other", ids.get(2), 1, "SMS", "SUBMITTED", "DELIVERED", 5);
        Path out = dir.resolve("runs-" + name + ".csv");
        List<Long> progress = new ArrayList<>();

        int rows = ResultsCsv.write(ds, "fb", out, progress::add);

        List<String> lines = Files.readAllLines(out);
        assertThat(rows).isEqualTo(5);
        assertThat(progress).as("the rows written so far, after each").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(ResultsCsv.rows(ds, "fb")).isEqualTo(5);
        assertThat(lines.get(0)).isEqualTo("id,phone,state,outcome,attempts,last_outcome,last_attempt_at,goal,"
                + "cascade_path,cascade_state,sms_status,voice_status,replies,cost");
        assertThat(lines.get(1)).isEqualTo("ext0,+33612340000,CLOSED,,0,,,,,,,,,");
        assertThat(lines.get(2)).isEqualTo("ext1,+33612340001,CLOSED,,0,,,,call>sms>delivered,DONE,delivered,busy,"
                + "yes please | thanks,5");
        assertThat(lines.get(3)).as("another campaign's run").isEqualTo("ext2,+33612340002,CLOSED,,0,,,,,,,,,");
        assertThat(lines.get(4)).isEqualTo("ext3,+33612340003,CLOSED,,0,,,,call>done,DONE,,answered,,0");
        assertThat(lines.get(5)).as("no status yet: the message's state")
                .isEqualTo("ext4,+33612340004,CLOSED,,0,,,,call>sms,WAITING,submitted,no_answer,,7");
    }

    /**
     * Inserts {@code n} contacts {@code ext0...} with the numbers +3361234000i, the first {@code inCampaign} of them in
     * {@code campaign} and the rest in "other"; returns the ids of those in {@code campaign}, in order.
     */
    private static List<Long> contacts(DataSource ds, int n, int inCampaign, String campaign, ContactState state)
            throws Exception {
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new JdbcContactStore.NewContact(i < inCampaign ? campaign : "other", "ext" + i, new PhoneSet(
                    List.of(new Phone("mobile", String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(), state,
                    null, T0));
        }
        new JdbcContactStore(ds).insertAll(list);
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM contact WHERE campaign_id = ? ORDER BY id")) {
            ps.setString(1, campaign);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void run(DataSource ds, String campaign, long contact, String state, List<String> path)
            throws Exception {
        String id = campaign + "/" + contact;
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO cascade_run (id, campaign_id, scheme_id,"
                    + " scheme_version, recipient_id, address, state, step, started_at, updated_at) VALUES"
                    + " (?, ?, 's', 1, ?, '+1', ?, 0, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, campaign);
                ps.setString(3, Long.toString(contact));
                ps.setString(4, state);
                ps.setObject(5, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
                ps.setObject(6, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
                ps.executeUpdate();
            }
            for (int i = path.size() - 1; i >= 0; i--) {   // stored out of order: the report orders them
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO cascade_step (run_id, seq, block_id,"
                        + " state, entered_at) VALUES (?, ?, ?, 'DONE', ?)")) {
                    ps.setString(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, path.get(i));
                    ps.setObject(4, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }
        }
    }

    private static void message(DataSource ds, String campaign, long contact, int step, String channel, String state,
                                String status, long cost) throws Exception {
        String run = campaign + "/" + contact;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO cascade_message"
                + " (id, run_id, step, scheme_id, block_id, channel, address, state, provider_ids, parts, status,"
                + " segments, cost, refunded, created_at) VALUES (?, ?, ?, 's', 'b', ?, '+1', ?, '', '', ?, 1, ?,"
                + " FALSE, ?)")) {
            ps.setString(1, run + "#" + step);
            ps.setString(2, run);
            ps.setInt(3, step);
            ps.setString(4, channel);
            ps.setString(5, state);
            ps.setString(6, status);
            ps.setLong(7, cost);
            ps.setObject(8, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static void reply(DataSource ds, String campaign, long contact, String text) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO cascade_reply"
                + " (run_id, channel, sender, body, received_at) VALUES (?, 'SMS', '+1', ?, ?)")) {
            ps.setString(1, campaign + "/" + contact);
            ps.setString(2, text);
            ps.setObject(3, OffsetDateTime.ofInstant(T0, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private static void record(DataSource ds, String attempt, String campaign, long contact, int minute,
                               String flowResult) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO call_records"
                + " (attempt_id, campaign_id, contact_id, phone, trunk, ari_server, channel_id, state, end_at,"
                + " flow_result) VALUES (?, ?, ?, '+1', 'carrier', 'sandbox', ?, 'ENDED', ?, ?)")) {
            ps.setString(1, attempt);
            ps.setString(2, campaign);
            ps.setString(3, Long.toString(contact));
            ps.setString(4, "ch-" + attempt);
            ps.setObject(5, OffsetDateTime.ofInstant(T0.plusSeconds(60L * minute), ZoneOffset.UTC));
            ps.setString(6, flowResult);
            ps.executeUpdate();
        }
    }
}

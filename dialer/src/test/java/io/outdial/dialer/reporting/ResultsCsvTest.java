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
        List<JdbcContactStore.NewContact> list = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            list.add(new JdbcContactStore.NewContact(i < 10 ? "res" : "other", "ext" + i, new PhoneSet(List.of(
                    new Phone("mobile", String.format("+3361234%04d", i), 0, false))), "UTC", Map.of(),
                    ContactState.WAITING, null, T0));
        }
        new JdbcContactStore(ds).insertAll(list);
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); var rs = c.createStatement().executeQuery(
                "SELECT id FROM contact WHERE campaign_id = 'res' ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
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

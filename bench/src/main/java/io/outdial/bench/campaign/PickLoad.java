package io.outdial.bench.campaign;

import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.JdbcContactStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Load run: fills one campaign with N contacts (default 10,000,000; 1 in 10 due now, the rest planned or
 * closed, plus a second campaign of the same size) in a fresh PostgreSQL schema, then times picking and
 * claiming 1,000 due contacts through the index, against an in-run baseline (a {@code SELECT 1} round trip
 * and the same SELECT without the claim), through a HikariCP pool as in the server.
 * {@code java [-Dkeep=true] -cp bench/target/benchmarks.jar io.outdial.bench.campaign.PickLoad JDBC_URL [contacts
 * [existing-schema]]}: {@code -Dkeep=true} keeps the filled schema, naming an existing schema reuses it.
 */
public final class PickLoad {
    private PickLoad() { }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        long n = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        boolean reuse = args.length > 2;
        String schema = reuse ? args[2] : "pick_load_" + ProcessHandle.current().pid();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        if (!reuse) {
            try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
        }
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setURL(url);
        pg.setCurrentSchema(schema);
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(pg);
        hc.setMaximumPoolSize(2);
        HikariDataSource ds = new HikariDataSource(hc);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        long t0 = System.nanoTime();
        if (!reuse) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (String campaign : List.of("big", "other")) {
                    st.execute("INSERT INTO contact (campaign_id, phone, phones, state, result, next_attempt_at, attempts)"
                            + " SELECT '" + campaign + "', '+38050' || lpad(g::text, 7, '0'),"
                            + " 'mobile=+38050' || lpad(g::text, 7, '0'),"
                            + " CASE WHEN g % 10 = 0 THEN 'WAITING' WHEN g % 10 < 6 THEN 'WAITING' ELSE 'CLOSED' END,"
                            + " CASE WHEN g % 10 >= 6 THEN 'SUCCESS' END,"
                            + " TIMESTAMPTZ '2026-11-23 10:00:00+00' + (CASE WHEN g % 10 = 0 THEN -1 ELSE 1 END)"
                            + " * ((g % 86400) || ' seconds')::interval, 0 FROM generate_series(1, " + n + ") g");
                }
                st.execute("ANALYZE contact");
            }
        }
        System.out.printf("loaded 2 x %,d contacts in %,d s%n", n, (System.nanoTime() - t0) / 1_000_000_000L);
        JdbcContactStore store = new JdbcContactStore(ds);
        int runs = 30;
        long[] pick = new long[runs];
        long[] selectOnly = new long[runs];
        long[] ping = new long[runs];
        for (int i = 0; i < runs; i++) {
            long a = System.nanoTime();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            }
            ping[i] = System.nanoTime() - a;
            a = System.nanoTime();
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT id, phones, fields"
                    + " FROM contact WHERE campaign_id = ? AND state = 'WAITING' AND next_attempt_at <= ?"
                    + " ORDER BY campaign_id, state, next_attempt_at LIMIT 1000")) {
                ps.setString(1, "big");
                ps.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
            selectOnly[i] = System.nanoTime() - a;
            a = System.nanoTime();
            List<Contact> got = store.pickDue("big", now, 1000, "bench");
            pick[i] = System.nanoTime() - a;
            if (got.size() != 1000) {
                throw new IllegalStateException("picked " + got.size() + " instead of 1000");
            }
        }
        print("SELECT 1 round trip (baseline)", ping);
        print("due SELECT of 1000 without claim", selectOnly);
        print("pickDue 1000 (select + claim)", pick);
        System.out.printf("ratio pick/select-only (median): %.1f%n", (double) median(pick) / median(selectOnly));
        // keyset pages of the API's contact list: the first, the middle and the last page of the second campaign
        // (its ids follow the first campaign's 10M), through the (campaign_id, id) index
        long firstOther;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT MIN(id) FROM contact WHERE campaign_id = 'other'")) {
            rs.next();
            firstOther = rs.getLong(1);
        }
        for (long after : new long[] {0, firstOther + n / 2, firstOther + n - 51}) {
            long[] page = new long[runs];
            for (int i = 0; i < runs; i++) {
                long a = System.nanoTime();
                int got = store.page("other", null, after, 50).size();
                page[i] = System.nanoTime() - a;
                if (got != 50) {
                    throw new IllegalStateException("page after " + after + " has " + got + " contacts");
                }
            }
            print("contacts page of 50 after id " + after, page);
        }
        if (!reuse && !Boolean.getBoolean("keep")) {
            try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        ds.close();
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%s: median %.2f ms, p90 %.2f ms, max %.2f ms (%d runs)%n", what, s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.9)] / 1e6, s[s.length - 1] / 1e6, s.length);
    }

    private static long median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}

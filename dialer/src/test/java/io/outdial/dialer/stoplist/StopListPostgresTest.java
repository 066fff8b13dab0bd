package io.outdial.dialer.stoplist;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.support.MigratedDatabases;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The same tests on PostgreSQL (a fresh database on the embedded server, see EmbeddedPostgres). */
class StopListPostgresTest extends StopListContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    public DataSource dataSource() {
        return ds;
    }

    /**
     * A number added by another transaction while the import inserts it: the import's insert fails with a unique
     * violation, which on PostgreSQL must not abort the import's transaction (25P02) and so the whole import.
     */
    @Test
    void aConcurrentAddOfANumberOfTheImportDoesNotFailTheImport() throws Exception {
        try (Connection other = ds.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("INSERT INTO stop_list (scope, phone, reason, source,"
                    + " added_at) VALUES ('c1', ?, 'other', 'manual', ?)")) {
                ps.setString(1, "+380501111111");
                ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            CompletableFuture<Integer> imported = CompletableFuture.supplyAsync(() -> stopList.importCsv("c1",
                    new StringReader("+380501111111,mine\n+380502222222,mine\n"), "race.csv"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(20)).alias("the import waits for the other insert")
                    .until(this::importWaitsForALock);
            other.commit();
            assertThat(imported.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(stopList.isBlocked("c1", "+380501111111")).isTrue();
        assertThat(stopList.isBlocked("c1", "+380502222222")).isTrue();
        assertThat(stopList.list("c1").get(0).reason()).isEqualTo("other");
    }

    private boolean importWaitsForALock() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}

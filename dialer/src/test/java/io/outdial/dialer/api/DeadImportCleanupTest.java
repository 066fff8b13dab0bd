package io.outdial.dialer.api;

import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.MutableClock;
import io.outdial.dialer.support.SqlCount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node killed during an import (kill -9) left an IMPORTING import and its invisible contact rows: the next start
 * cleans them at once, not hours later.
 */
class DeadImportCleanupTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    @TempDir
    Path dir;
    private ApiTestServer server;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Supplier<DataSource>) MigratedDatabases::h2),
            Arguments.of("PostgreSQL", (Supplier<DataSource>) MigratedDatabases::postgres));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anImportOfAKilledNodeIsCleanedWhenTheNodeStarts(String engine, Supplier<DataSource> db) throws Exception {
        DataSource ds = db.get();
        MutableClock clock = new MutableClock(T0);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO campaign (id, name, state, settings, created_at, updated_at) VALUES"
                + " ('c1', 'c1', 'DRAFT', '{\"id\": \"c1\"}', TIMESTAMP WITH TIME ZONE '2026-11-23 10:00:00+00',"
                + " TIMESTAMP WITH TIME ZONE '2026-11-23 10:00:00+00')");
        }
        ApiImportStore imports = new ApiImportStore(ds, clock);
        long apiImport = imports.create("c1", "big.csv", 1000, null, "killed-node").orElseThrow();
        long contactImport;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO contact_import (campaign_id, source_name, state, started_at) VALUES"
                + " ('c1', 'big.csv', 'IMPORTING', TIMESTAMP WITH TIME ZONE '2026-11-23 10:00:00+00')");
            contactImport = SqlCount.of(ds, "SELECT MAX(id) FROM contact_import");
            for (int i = 0; i < 3; i++) {
                s.executeUpdate("INSERT INTO contact (campaign_id, import_id, phone, phones, state, next_attempt_at)"
                    + " VALUES ('c1', " + contactImport + ", '+38050000000" + i + "', '+38050000000" + i
                    + "', 'WAITING', TIMESTAMP WITH TIME ZONE '2026-11-23 10:00:00+00')");
            }
            s.executeUpdate("UPDATE api_import SET state = 'RUNNING', contact_import_id = " + contactImport
                + " WHERE id = " + apiImport);
        }

        // the node starts again a few seconds later (its heartbeat is still fresh: time alone would wait)
        clock.advance(java.time.Duration.ofSeconds(5));
        server = new ApiTestServer(ds, clock, dir.resolve("up"), 1_000_000);

        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'c1'")).isZero();
        assertThat(SqlCount.of(ds, "SELECT COUNT(*) FROM contact_import WHERE state = 'IMPORTING'")).isZero();
        assertThat(imports.get(apiImport).orElseThrow().state()).isEqualTo("FAILED");
        assertThat(imports.get(apiImport).orElseThrow().error()).contains("abandoned");
    }
}

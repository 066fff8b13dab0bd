package io.outdial.dialer.call;

import io.outdial.ivr.spi.FlowResult;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CallRecordStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private CallRecordStore store;
    private JdbcDataSource ds;

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        store = new CallRecordStore(ds);
    }

    private static CallRecord dialing() {
        return new CallRecord("a1", "camp", "k1", "+15551230000", "carrier", "+15550000001", "ast1", "ch1",
                CallState.DIALING, T0, null, null, null, null, null, null, "", List.of());
    }

    @Test
    void recordIsInsertedAtOriginateAndUpdatedWithTheFinalOutcomeAndFlowResult() {
        save(dialing());
        assertThat(store.findUnfinished("ast1")).extracting(CallRecord::attemptId).containsExactly("a1");
        FlowResult fr = new FlowResult("f1", 3, List.of("start", "menu"), Map.of("menu", "1"),
                Map.of("rec", "recording:r1"), Map.of("x", "y"), true, "sale", false, List.of("m1"),
                FlowResult.Completion.COMPLETED, "bye");
        CallRecord done = new CallRecord("a1", "camp", "k1", "+15551230000", "carrier", "+15550000001", "ast1", "ch1",
                CallState.ENDED, T0, T0.plusSeconds(1), T0.plusSeconds(4), T0.plusSeconds(30),
                new CallOutcome(OutcomeKind.ANSWERED, 16, "answered", fr), "HUMAN", "HUMAN-803-800", "1#",
                List.of("recording:r1", "recording:r2"));
        save(done);
        assertThat(store.find("a1")).contains(done);
        assertThat(store.findUnfinished("ast1")).isEmpty();
    }

    @Test
    void missingAttemptIsEmpty() {
        assertThat(store.find("nope")).isEmpty();
    }

    @Test
    void forContactListsThatContactsAttemptsOfTheCampaignOldestFirst() {
        save(new CallRecord("a2", "camp", "k1", "+15551230000", "carrier", null, "ast1", "ch2",
                CallState.DIALING, T0.plusSeconds(600), null, null, null, null, null, null, "", List.of()));
        save(dialing());
        save(new CallRecord("b1", "camp", "k2", "+15551230001", "carrier", null, "ast1", "ch3",
                CallState.DIALING, T0, null, null, null, null, null, null, "", List.of()));
        save(new CallRecord("c1", "other", "k1", "+15551230000", "carrier", null, "ast1", "ch4",
                CallState.DIALING, T0, null, null, null, null, null, null, "", List.of()));
        assertThat(store.forContact("camp", "k1")).extracting(CallRecord::attemptId).containsExactly("a1", "a2");
        assertThat(store.forContact("camp", "k9")).isEmpty();
    }

    private void save(CallRecord r) {
        try (java.sql.Connection c = ds.getConnection()) {
            store.save(c, r);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

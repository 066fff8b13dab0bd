package io.outdial.dialer.api;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ImportReport;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The import rows of the API: progress, completion, failure, and imports of a stopped node read as abandoned. */
class ApiImportStoreTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    final DataSource ds = MigratedDatabases.h2();
    final MutableClock clock = new MutableClock(T0);
    final ApiImportStore store = new ApiImportStore(ds, clock);

    @BeforeEach
    void campaign() { // an import is recorded only for a campaign that exists
        new JdbcCampaignStore(ds, clock).create(Campaign.draft("c1", "C1", T0));
    }

    @Test
    void progressThenCompletion() {
        long id = store.create("c1", "a.csv", 120, null, "node-1").orElseThrow();
        assertThat(store.get(id).orElseThrow().state()).isEqualTo("QUEUED");
        store.progress(id, "RUNNING", 1000, 990, 10);
        ApiImportStore.ApiImport running = store.get(id).orElseThrow();
        assertThat(running.rowsRead()).isEqualTo(1000);
        assertThat(running.imported()).isEqualTo(990);
        assertThat(store.hasActive("c1")).isTrue();
        store.completed(id, new ImportReport(77, "a.csv", 2000, 1900, 50, 5, 50, List.of(), Duration.ofSeconds(1)));
        ApiImportStore.ApiImport done = store.get(id).orElseThrow();
        assertThat(done.state()).isEqualTo("COMPLETED");
        assertThat(done.contactImportId()).isEqualTo(77L);
        assertThat(done.merged()).isEqualTo(50);
        assertThat(done.finishedAt()).isEqualTo(T0);
        assertThat(store.hasActive("c1")).isFalse();
        assertThat(store.countOfCampaign("c1")).isEqualTo(1);
        assertThat(store.ofCampaign("c1", 10, 0)).extracting(ApiImportStore.ApiImport::id).containsExactly(id);
    }

    @Test
    void anImportNobodyTouchesIsReportedAbandonedAndTheHeartbeatKeepsOneAlive() {
        long dead = store.create("c1", "dead.csv", 1, null, "node-1").orElseThrow();
        long alive = store.create("c1", "alive.csv", 1, null, "node-2").orElseThrow();
        store.progress(dead, "RUNNING", 5000, 5000, 0);
        for (int i = 0; i < 5; i++) { // 100 s: past ABANDONED_AFTER
            clock.advance(Duration.ofSeconds(20)); // the API's heartbeat
            store.touch(List.of(alive));
        }
        ApiImportStore.ApiImport d = store.get(dead).orElseThrow();
        assertThat(d.state()).isEqualTo("FAILED");
        assertThat(d.error()).isEqualTo(ApiImportStore.ABANDONED);
        assertThat(d.imported()).as("nothing of it is kept").isZero();
        assertThat(store.get(alive).orElseThrow().state()).isEqualTo("QUEUED");
        assertThat(store.hasActive("c1")).isTrue();
        clock.advance(ApiImportStore.ABANDONED_AFTER.plusSeconds(1));
        assertThat(store.hasActive("c1")).isFalse();
        assertThat(store.get(dead).orElseThrow().state()).as("stored failed, stays failed").isEqualTo("FAILED");
    }
}

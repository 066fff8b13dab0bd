package io.outdial.dialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.dialer.support.DatabaseTest;
import io.outdial.dialer.support.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Campaign storage on every database a subclass supplies. */
public abstract class CampaignStoreContract implements DatabaseTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private JdbcCampaignStore store;

    @BeforeEach
    void setUp() {
        store = new JdbcCampaignStore(dataSource(), clock);
    }

    @Test
    void campaignMovesThroughItsLifeCycleWithOptimisticChecks() {
        store.create(Campaign.draft("c1", "Reminders", T0).withSchedule(T0.plusSeconds(60), null));
        Campaign draft = store.get("c1").orElseThrow();
        assertThat(draft.startsAt()).isEqualTo(T0.plusSeconds(60));
        Campaign scheduled = store.moveTo(draft, CampaignState.SCHEDULED, "operator").orElseThrow();
        assertThat(store.moveTo(draft, CampaignState.RUNNING, "stale copy")).as("stale version loses").isEmpty();
        Campaign running = store.moveTo(scheduled, CampaignState.RUNNING, "start time").orElseThrow();
        assertThat(store.inState(CampaignState.RUNNING)).extracting(Campaign::id).containsExactly("c1");
        assertThatThrownBy(() -> store.moveTo(running, CampaignState.ARCHIVED, "x"))
                .isInstanceOf(IllegalStateException.class);
        Campaign stored = store.get("c1").orElseThrow();
        assertThat(stored.state()).isEqualTo(CampaignState.RUNNING);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(store.update(stored.withShare(5, 3, true))).isTrue();
        assertThat(store.get("c1").orElseThrow().priority()).isEqualTo(5);
    }

    @Test
    void duplicateIdIsABadInput() {
        store.create(Campaign.draft("c1", "A", T0));
        assertThatThrownBy(() -> store.create(Campaign.draft("c1", "B", T0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"c1\" already exists");
    }

    @Test
    void theFirstFlowPinWinsIsKeptByOtherChangesAndClearedWhenTheFlowIsReplaced() {
        store.create(Campaign.draft("p1", "Pinned", T0));
        assertThat(store.flowPin("p1")).isEmpty();
        assertThat(store.pinFlow("p1", 1, false)).isEqualTo(1);
        assertThat(store.pinFlow("p1", 2, false)).as("a later start keeps the first start's version").isEqualTo(1);
        Campaign c = store.get("p1").orElseThrow();
        assertThat(c.version()).as("pinning is not an edit").isZero();
        assertThat(store.moveTo(c, CampaignState.RUNNING, "start")).isPresent();
        assertThat(store.update(store.get("p1").orElseThrow().withShare(3, 1, false))).isTrue();
        assertThat(store.flowPin("p1")).as("kept across state moves and other edits").hasValue(1);
        assertThat(store.pinFlow("p1", 4, true)).as("a version the definition names replaces it").isEqualTo(4);
        assertThat(store.update(store.get("p1").orElseThrow(), true)).isTrue();
        assertThat(store.flowPin("p1")).as("cleared with the definition's flow").isEmpty();
        assertThat(store.flowPin("nope")).isEmpty();
    }
}

package io.outdial.dialer.dialing;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How soon a runner re-reads its counters from the database. */
class CounterResyncTest {

    @Test
    void aFailedReadIsRetriedAfterTheMinimumNotAMultipleOfItsTimeout() {
        // a read that timed out after 10 s during a database outage
        assertThat(CampaignRunner.nextResyncMs(false, 10_000)).isEqualTo(CampaignRunner.MIN_RESYNC_MS);
    }

    @Test
    void aSlowSuccessfulReadSpacesTheNextOneWithinBounds() {
        assertThat(CampaignRunner.nextResyncMs(true, 5)).isEqualTo(CampaignRunner.MIN_RESYNC_MS);
        assertThat(CampaignRunner.nextResyncMs(true, 100)).isEqualTo(100_000);
        assertThat(CampaignRunner.nextResyncMs(true, 3_000_000)).isEqualTo(CampaignRunner.MAX_RESYNC_MS);
    }

    @Test
    void betweenFullReadsOnlyTheContactsThatBecameDueAreCounted() {
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        assertThat(CampaignRunner.fullRead(null, t, 0, 10_000)).as("nothing counted yet").isTrue();
        assertThat(CampaignRunner.fullRead(t, t.plusSeconds(10), 10_000, 120_000)).as("a slow scan: windowed")
            .isFalse();
        assertThat(CampaignRunner.fullRead(t, t.plusSeconds(10), 120_000, 120_000)).as("its pause is over").isTrue();
        assertThat(CampaignRunner.fullRead(t, t.plusSeconds(10), 10_000, 10_000)).as("a fast scan every time")
            .isTrue();
        assertThat(CampaignRunner.fullRead(t, t.minusSeconds(1), 0, 120_000)).as("the clock went back").isTrue();
    }
}

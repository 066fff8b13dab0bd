package io.outdial.dialer.dialing;

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
        assertThat(CampaignRunner.nextResyncMs(true, 1_000)).isEqualTo(100_000);
        assertThat(CampaignRunner.nextResyncMs(true, 3_000_000)).isEqualTo(CampaignRunner.MAX_RESYNC_MS);
    }
}

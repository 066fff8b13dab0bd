package io.outdial.dialer.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualMovesTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private static Campaign in(CampaignState s) {
        return Campaign.draft("c1", "Test", T0).withState(s, T0);
    }

    @Test
    void manualMovesFollowTheStateMachine() {
        JdbcCampaignStore.checkManual(in(CampaignState.RUNNING), CampaignState.PAUSED);
        JdbcCampaignStore.checkManual(in(CampaignState.PAUSED), CampaignState.RUNNING);
        JdbcCampaignStore.checkManual(in(CampaignState.FINISHED), CampaignState.ARCHIVED);
        assertThatThrownBy(() -> JdbcCampaignStore.checkManual(in(CampaignState.FINISHED), CampaignState.RUNNING))
                .hasMessage("campaign c1 is FINISHED and cannot move to RUNNING; allowed: [ARCHIVED]");
        assertThat(CampaignState.ARCHIVED.next()).isEmpty();
        assertThatThrownBy(() -> Campaign.draft("bad id!", "x", T0)).hasMessageContaining("\"bad id!\"");
    }
}

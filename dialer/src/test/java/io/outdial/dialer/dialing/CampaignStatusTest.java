package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.ready.DependencyStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignStatusTest {
    private static final Instant T = Instant.parse("2026-11-23T08:00:00Z");

    @Test
    void liveCallsReportUpAndDialing() {
        DependencyStatus s = CampaignStatus.status(3, new WhyNotDialing.Paused(), "stats");
        assertThat(s.stateName()).isEqualTo("UP");
        assertThat(s.detail()).startsWith("dialing: 3 live call(s)");
    }

    @Test
    void normalIdleReasonsStayUpWithTheReason() {
        DependencyStatus s = CampaignStatus.status(0, new WhyNotDialing.OutsideCalendar(T), "stats");
        assertThat(s.stateName()).isEqualTo("UP");
        assertThat(s.detail()).startsWith("idle, outside_calendar:");
        assertThat(CampaignStatus.status(0, new WhyNotDialing.Finished(CampaignState.FINISHED), "")
            .detail()).contains("finished");
    }

    @Test
    void telephonyDownIsDegradedNotDown() {
        DependencyStatus s = CampaignStatus.status(0, new WhyNotDialing.AsteriskDown("pbx1", "refused"), "");
        assertThat(s.stateName()).isEqualTo("DEGRADED");
        assertThat(s.detail()).contains("asterisk_down").contains("pbx1");
    }
}

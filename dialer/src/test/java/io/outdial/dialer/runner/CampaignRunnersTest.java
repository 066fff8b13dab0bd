package io.outdial.dialer.runner;

import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.WhyNotDialing;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.ready.DependencyState;
import io.outdial.dialer.ready.DependencyStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CampaignRunnersTest {
    private static final Instant T = Instant.parse("2026-11-23T08:00:00Z");

    @Test
    void liveCallsReportUpAndDialing() {
        DependencyStatus s = CampaignRunners.status(3, new WhyNotDialing.Paused(), "stats");
        assertThat(s.state()).isEqualTo(DependencyState.UP);
        assertThat(s.detail()).startsWith("dialing: 3 live call(s)");
    }

    @Test
    void normalIdleReasonsStayUpWithTheReason() {
        DependencyStatus s = CampaignRunners.status(0, new WhyNotDialing.OutsideCalendar(T), "stats");
        assertThat(s.state()).isEqualTo(DependencyState.UP);
        assertThat(s.detail()).startsWith("idle, outside_calendar:");
        assertThat(CampaignRunners.status(0, new WhyNotDialing.Finished(CampaignState.FINISHED), "")
            .detail()).contains("finished");
    }

    @Test
    void telephonyDownIsDegradedNotDown() {
        DependencyStatus s = CampaignRunners.status(0, new WhyNotDialing.AsteriskDown("pbx1", "refused"), "");
        assertThat(s.state()).isEqualTo(DependencyState.DEGRADED);
        assertThat(s.detail()).contains("asterisk_down").contains("pbx1");
    }

    @Test
    void theSharedPacerHoldsTheTrunkLineLimitAcrossCampaigns(@TempDir Path dir) throws Exception {
        CampaignFile a = file(dir, "a");
        CampaignFile b = file(dir, "b");
        Pacer pacer = CampaignRunners.sharedPacer(List.of(a, b), RunnerClock.system());

        assertThat(pacer.tryStart("a", "carrier", T)).isInstanceOf(Pacer.Started.class);
        assertThat(pacer.tryStart("b", "carrier", T.plusSeconds(1))).isInstanceOf(Pacer.Started.class);
        // trunk maxLines 2 is shared: a third call of either campaign waits although each allows 5 lines
        assertThat(pacer.tryStart("a", "carrier", T.plusSeconds(2))).isInstanceOf(Pacer.LineLimited.class);
        assertThat(pacer.tryStart("b", "carrier", T.plusSeconds(3))).isInstanceOf(Pacer.LineLimited.class);
    }

    private static CampaignFile file(Path dir, String id) throws Exception {
        Path f = dir.resolve(id + ".yaml");
        Files.writeString(f, "id: " + id + "\ncontacts: c.csv\ntrunk: {name: carrier, maxLines: 2, maxCps: 100}\n"
            + "limits: {lines: 5}\n");
        return CampaignFile.load(f);
    }
}

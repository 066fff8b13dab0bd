package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CampaignLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private static Campaign in(CampaignState s) {
        return Campaign.draft("c1", "Test", T0).withState(s, T0);
    }

    @Test
    void scheduledCampaignStartsAtItsStartTimeAndStopsAtItsEnd() {
        Campaign c = in(CampaignState.SCHEDULED).withSchedule(T0.plusSeconds(60), T0.plusSeconds(3600));
        assertThat(CampaignLifecycle.due(c, T0, true)).isEmpty();
        assertThat(CampaignLifecycle.due(c, T0.plusSeconds(60), true).orElseThrow().to()).isEqualTo(CampaignState.RUNNING);
        Campaign running = c.withState(CampaignState.RUNNING, T0);
        assertThat(CampaignLifecycle.due(running, T0.plusSeconds(3600), true).orElseThrow())
                .isEqualTo(new CampaignLifecycle.Move(CampaignState.FINISHED, "end time " + T0.plusSeconds(3600) + " passed"));
        assertThat(CampaignLifecycle.due(running.withState(CampaignState.PAUSED, T0), T0.plusSeconds(3601), true))
                .as("a paused campaign also ends").map(CampaignLifecycle.Move::to).contains(CampaignState.FINISHED);
    }

    @Test
    void runningCampaignFinishesByItselfWhenNoContactIsLeftUnlessAlwaysActive() {
        Campaign c = in(CampaignState.RUNNING);
        assertThat(CampaignLifecycle.due(c, T0, true)).isEmpty();
        assertThat(CampaignLifecycle.due(c, T0, false).orElseThrow().reason()).isEqualTo("no contact can be dialed any more");
        assertThat(CampaignLifecycle.due(c.withShare(0, 1, true), T0, false)).isEmpty();
        assertThat(CampaignLifecycle.due(in(CampaignState.PAUSED), T0, false)).as("paused waits for the operator").isEmpty();
    }

    @Test
    void everyReasonHasACodeAndMessage() {
        assertThat(Arrays.stream(WhyNotDialing.class.getPermittedSubclasses()).map(Class::getSimpleName))
                .containsExactlyInAnyOrder("Draft", "NotStarted", "Paused", "Finished", "AsteriskDown", "TrunkDown",
                        "OutsideCalendar", "NoDueContacts", "LineLimit", "RateLimit");
        assertThat(new WhyNotDialing.Finished(CampaignState.ARCHIVED).code()).isEqualTo("archived");
        assertThat(new WhyNotDialing.OutsideCalendar(null).message()).contains("no opening left");
        assertThat(new WhyNotDialing.TrunkDown("t1", "503").message()).isEqualTo("trunk t1 is down: 503");
        assertThat(new WhyNotDialing.NotStarted(T0).message()).isEqualTo("scheduled: starts at " + T0);
    }
}

package io.outdial.dialer.campaign;

import io.outdial.dialer.dialing.DialingFacts;
import io.outdial.dialer.dialing.WhyNotDialing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
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
    void manualMovesFollowTheStateMachine() {
        CampaignLifecycle.checkManual(in(CampaignState.RUNNING), CampaignState.PAUSED);
        CampaignLifecycle.checkManual(in(CampaignState.PAUSED), CampaignState.RUNNING);
        CampaignLifecycle.checkManual(in(CampaignState.FINISHED), CampaignState.ARCHIVED);
        assertThatThrownBy(() -> CampaignLifecycle.checkManual(in(CampaignState.FINISHED), CampaignState.RUNNING))
                .hasMessage("campaign c1 is FINISHED and cannot move to RUNNING; allowed: [ARCHIVED]");
        assertThat(CampaignState.ARCHIVED.next()).isEmpty();
        assertThatThrownBy(() -> Campaign.draft("bad id!", "x", T0)).hasMessageContaining("\"bad id!\"");
    }

    @Test
    void whyNotDialingFollowsAFixedOrder() {
        Campaign running = in(CampaignState.RUNNING);
        assertThat(DialingFacts.of(in(CampaignState.PAUSED), T0).asteriskDown("pbx", "x").whyNot().orElseThrow().code())
                .isEqualTo("paused");
        assertThat(DialingFacts.of(running, T0).asteriskDown("pbx1", "websocket closed").due(0, null).whyNot()
                .orElseThrow().message()).isEqualTo("Asterisk pbx1 is down: websocket closed");
        assertThat(DialingFacts.of(running, T0).due(0, T0.plusSeconds(600)).whyNot().orElseThrow().message())
                .isEqualTo("no due contacts until 2026-11-23T09:10:00Z");
        assertThat(DialingFacts.of(running, T0).due(5, null).calendarClosed(T0.plusSeconds(3600))
                .lineBlocked(new LineUsage(LimitKey.GLOBAL, 3, 3)).whyNot().orElseThrow().message())
                .isEqualTo("outside the calendar until 2026-11-23T10:00:00Z");
        assertThat(DialingFacts.of(running, T0).due(5, null).lineBlocked(new LineUsage(LimitKey.trunk("t1"), 30, 30))
                .whyNot().orElseThrow().message()).isEqualTo("line limit 30/30 on trunk t1");
        assertThat(DialingFacts.of(running, T0).due(5, null).rateBlocked(LimitKey.campaign("c1"), T0.plusSeconds(1))
                .whyNot().orElseThrow().code()).isEqualTo("rate_limit");
        assertThat(DialingFacts.of(running, T0).due(5, null).whyNot()).isEqualTo(Optional.empty());
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

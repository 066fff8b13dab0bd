package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineUsage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DialingFactsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");

    private static Campaign in(CampaignState s) {
        return Campaign.draft("c1", "Test", T0).withState(s, T0);
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
}

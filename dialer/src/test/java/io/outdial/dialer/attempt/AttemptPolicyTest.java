package io.outdial.dialer.attempt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.dialer.calendar.CallingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttemptPolicyTest {
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
    private static final List<ZoneId> ZONES = List.of(KYIV);
    private static final CallingCalendar OFFICE = CallingCalendar.builder().weekdays("09:00-18:00").build();
    private final AttemptPolicy policy = new AttemptPolicy(AttemptRules.defaults(), OFFICE);

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(KYIV).toInstant();
    }

    @Test
    void busyContactRetriesTenMinutesAfterTheAttemptEnded() {
        AttemptRules.Decided d = policy.decide(ContactAttempts.NONE, AttemptOutcome.BUSY, null,
                at("2026-11-23T10:00:40"), ZONES, false);
        assertThat(d.decision()).isEqualTo(new AttemptDecision.RetryAt(at("2026-11-23T10:10:40"),
                "BUSY: retry 1 of 3 after PT10M"));
        assertThat(d.history().total()).isEqualTo(1);
        assertThat(d.history().count("BUSY")).isEqualTo(1);
    }

    @Test
    void retryFallingAfterClosingTimeIsClampedIntoTheNextWindow() {
        AttemptRules.Decided d = policy.decide(ContactAttempts.NONE, AttemptOutcome.MACHINE, null,
                at("2026-11-27T17:00"), ZONES, false);
        assertThat(((AttemptDecision.RetryAt) d.decision()).at()).as("Friday 19:00 -> Monday 09:00")
                .isEqualTo(at("2026-11-30T09:00"));
    }

    @Test
    void perOutcomeMaximumExhaustsTheContact() {
        ContactAttempts h = ContactAttempts.NONE;
        Instant end = at("2026-11-23T09:00");
        for (int i = 0; i < 1; i++) {
            h = policy.decide(h, AttemptOutcome.MACHINE, null, end, ZONES, false).history();
        }
        AttemptDecision second = policy.decide(h, AttemptOutcome.MACHINE, null, end.plusSeconds(7200), ZONES, false)
                .decision();
        assertThat(second).isInstanceOf(AttemptDecision.Close.class);
        assertThat(((AttemptDecision.Close) second).result()).isEqualTo(ContactResult.EXHAUSTED);
    }

    @Test
    void oneTotalCapHoldsWhateverMixOfOutcomes() {
        // each rule alone would allow 3 retries; together they must stop at the total cap of 5 attempts
        AttemptOutcome[] seq = {AttemptOutcome.NO_ANSWER, AttemptOutcome.BUSY, AttemptOutcome.NO_ANSWER,
            AttemptOutcome.BUSY, AttemptOutcome.CONGESTION};
        AttemptPolicy lenient = new AttemptPolicy(AttemptRules.defaults().withCaps(5, 10), CallingCalendar.alwaysOpen());
        ContactAttempts h = ContactAttempts.NONE;
        Instant t = at("2026-11-23T09:00");
        AttemptDecision last = null;
        for (AttemptOutcome o : seq) {
            AttemptRules.Decided d = lenient.decide(h, o, null, t, ZONES, false);
            h = d.history();
            last = d.decision();
            t = t.plus(Duration.ofHours(1));
        }
        assertThat(h.total()).isEqualTo(5);
        assertThat(last).isEqualTo(new AttemptDecision.Close(ContactResult.EXHAUSTED,
                "CONGESTION: total attempt cap 5 reached"));
    }

    @Test
    void dailyCapMovesTheRetryToTheNextLocalDay() {
        AttemptPolicy p = new AttemptPolicy(AttemptRules.defaults().withCaps(10, 2), OFFICE);
        ContactAttempts h = p.decide(ContactAttempts.NONE, AttemptOutcome.NO_ANSWER, null, at("2026-11-23T10:00"),
                ZONES, false).history();
        AttemptDecision d = p.decide(h, AttemptOutcome.NO_ANSWER, null, at("2026-11-23T11:00"), ZONES, false)
                .decision();
        assertThat(((AttemptDecision.RetryAt) d).at()).isEqualTo(at("2026-11-24T09:00"));
        assertThat(d.reason()).contains("daily cap 2");
    }

    @Test
    void finalOutcomesCloseWithTheirResult() {
        Instant end = at("2026-11-23T10:00");
        assertThat(policy.decide(ContactAttempts.NONE, AttemptOutcome.ANSWERED_COMPLETED, null, end, ZONES, false)
                .decision()).isEqualTo(new AttemptDecision.Close(ContactResult.SUCCESS, "ANSWERED_COMPLETED: closed by rule"));
        assertThat(((AttemptDecision.Close) policy.decide(ContactAttempts.NONE, AttemptOutcome.REJECTED, null, end,
                ZONES, false).decision()).result()).isEqualTo(ContactResult.FAILURE);
        assertThat(((AttemptDecision.Close) policy.decide(ContactAttempts.NONE, AttemptOutcome.INVALID_NUMBER, null,
                end, ZONES, false).decision()).result()).isEqualTo(ContactResult.NO_VALID_NUMBER);
    }

    @Test
    void invalidNumberWithAnotherNumberLeftRetriesOnTheNextNumber() {
        AttemptDecision d = policy.decide(ContactAttempts.NONE, AttemptOutcome.INVALID_NUMBER, null,
                at("2026-11-23T10:00"), ZONES, true).decision();
        assertThat(d).isInstanceOf(AttemptDecision.RetryAt.class);
    }

    @Test
    void flowSpecificRuleWinsOverTheOutcomeRule() {
        AttemptRules rules = new AttemptRules(List.of(
                AttemptRules.close(AttemptOutcome.ANSWERED_COMPLETED, ContactResult.SUCCESS),
                new AttemptRule(AttemptOutcome.ANSWERED_COMPLETED, "9", RuleAction.retry(Duration.ofDays(1), 1))),
                5, 3);
        AttemptPolicy p = new AttemptPolicy(rules, OFFICE);
        AttemptDecision d = p.decide(ContactAttempts.NONE, AttemptOutcome.ANSWERED_COMPLETED, "9",
                at("2026-11-23T10:00"), ZONES, false).decision();
        assertThat(d).isEqualTo(new AttemptDecision.RetryAt(at("2026-11-24T10:00"),
                "ANSWERED_COMPLETED:9: retry 1 of 1 after PT24H"));
        assertThat(p.decide(ContactAttempts.NONE, AttemptOutcome.ANSWERED_COMPLETED, "1", at("2026-11-23T10:00"),
                ZONES, false).decision()).isInstanceOf(AttemptDecision.Close.class);
    }

    @Test
    void calendarWithNoOpeningLeftClosesTheContact() {
        CallingCalendar ending = CallingCalendar.builder().weekdays("09:00-18:00")
                .endDate(java.time.LocalDate.parse("2026-11-23")).build();
        AttemptDecision d = new AttemptPolicy(AttemptRules.defaults(), ending).decide(ContactAttempts.NONE,
                AttemptOutcome.BUSY, null, at("2026-11-23T17:55"), ZONES, false).decision();
        assertThat(((AttemptDecision.Close) d).result()).isEqualTo(ContactResult.NO_WINDOW);
    }

    @Test
    void lostAttemptIsNeverRetriedImmediately() {
        assertThatThrownBy(() -> AttemptRules.retry(AttemptOutcome.LOST, Duration.ZERO, 3))
                .hasMessageContaining("LOST").hasMessageContaining("PT1M");
        AttemptDecision d = policy.decide(ContactAttempts.NONE, AttemptOutcome.LOST, null, at("2026-11-23T10:00"),
                ZONES, false).decision();
        assertThat(((AttemptDecision.RetryAt) d).at()).isEqualTo(at("2026-11-23T10:05"));
    }

    @Test
    void historyRoundTripsThroughItsStorageForm() {
        ContactAttempts h = ContactAttempts.NONE.plus("BUSY", at("2026-11-23T10:00"), KYIV)
                .plus("ANSWERED_COMPLETED:9", at("2026-11-23T11:00"), KYIV);
        assertThat(ContactAttempts.decodeByRule(h.encodeByRule())).isEqualTo(h.byRule());
        assertThat(h.countOn(java.time.LocalDate.parse("2026-11-23"))).isEqualTo(2);
    }

    @Test
    void duplicateRuleIsRejected() {
        assertThatThrownBy(() -> new AttemptRules(List.of(
                AttemptRules.retry(AttemptOutcome.BUSY, Duration.ofMinutes(1), 1),
                AttemptRules.retry(AttemptOutcome.BUSY, Duration.ofMinutes(2), 1)), 5, 3))
                .hasMessageContaining("BUSY is defined twice");
    }
}

package io.outdial.dialer.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.calendar.CallingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** No rule set and outcome sequence breaks the caps, schedules before the attempt end, or leaves the calendar. */
class AttemptPolicyPropertyTest {
    private static final ZoneId ZONE = ZoneId.of("America/New_York");
    private static final CallingCalendar CAL = CallingCalendar.builder().weekdays("09:00-12:00", "13:00-20:00")
            .on(java.time.DayOfWeek.SATURDAY, "22:00-02:00").quietHours("21:00-08:00").build();

    record Step(AttemptOutcome outcome, String flowResult, long durationSeconds, long lateSeconds) { }

    @Property(tries = 300)
    void capsHoldAndRetriesLandInsideTheCalendarAfterTheAttemptEnd(@ForAll("ruleSets") AttemptRules rules,
                                                                   @ForAll("sequences") List<Step> steps) {
        AttemptPolicy policy = new AttemptPolicy(rules, CAL);
        Instant t = CAL.nextOpen(Instant.parse("2026-03-06T12:00:00Z"), List.of(ZONE)).orElseThrow();
        ContactAttempts h = ContactAttempts.NONE;
        Map<String, Integer> retriesByRule = new HashMap<>();
        Map<LocalDate, Integer> perDay = new HashMap<>();
        int attempts = 0;
        for (Step s : steps) {
            Instant end = t.plusSeconds(s.durationSeconds());
            attempts++;
            perDay.merge(end.atZone(ZONE).toLocalDate(), 1, Integer::sum);
            AttemptRules.Decided d = policy.decide(h, s.outcome(), s.flowResult(), end, List.of(ZONE), false);
            h = d.history();
            assertThat(attempts).isLessThanOrEqualTo(rules.totalCap());
            assertThat(perDay.values()).allMatch(n -> n <= rules.dailyCap());
            if (!(d.decision() instanceof AttemptDecision.RetryAt)) {
                return;
            }
            Instant at = ((AttemptDecision.RetryAt) d.decision()).at();
            String key = rules.ruleFor(s.outcome(), s.flowResult()).orElseThrow().key();
            int used = retriesByRule.merge(key, 1, Integer::sum);
            RuleAction action = rules.ruleFor(s.outcome(), s.flowResult()).orElseThrow().action();
            if (action instanceof RuleAction.Retry) {
                assertThat(used).as("retries by %s", key).isLessThanOrEqualTo(((RuleAction.Retry) action).maxRetries());
                assertThat(at).isAfterOrEqualTo(end.plus(((RuleAction.Retry) action).delay()));
            }
            assertThat(at).isAfterOrEqualTo(end);
            assertThat(CAL.isOpen(at, List.of(ZONE))).as("retry %s inside the calendar", at).isTrue();
            // the scheduler may pick it a little late, but still while open
            Instant late = at.plusSeconds(s.lateSeconds());
            t = CAL.isOpen(late, List.of(ZONE)) ? late : at;
        }
    }

    @Provide
    Arbitrary<AttemptRules> ruleSets() {
        Arbitrary<RuleAction> retry = Combinators.combine(Arbitraries.longs().between(1, 36 * 60),
                Arbitraries.integers().between(0, 4)).as((m, n) -> RuleAction.retry(Duration.ofMinutes(m), n));
        Arbitrary<RuleAction> close = Arbitraries.of(ContactResult.class).map(RuleAction::close);
        Arbitrary<RuleAction> action = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, retry), net.jqwik.api.Tuple.of(1, close));
        Arbitrary<List<RuleAction>> actions = action.list().ofSize(AttemptOutcome.values().length + 2);
        return Combinators.combine(actions, Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 4))
                .as((acts, total, daily) -> {
                    List<AttemptRule> rules = new ArrayList<>();
                    AttemptOutcome[] outcomes = AttemptOutcome.values();
                    for (int i = 0; i < outcomes.length; i++) {
                        rules.add(new AttemptRule(outcomes[i], null, acts.get(i)));
                    }
                    rules.add(new AttemptRule(AttemptOutcome.ANSWERED_COMPLETED, "1", acts.get(outcomes.length)));
                    rules.add(new AttemptRule(AttemptOutcome.LEFT_EARLY, "2", acts.get(outcomes.length + 1)));
                    return new AttemptRules(rules, total, daily);
                });
    }

    @Provide
    Arbitrary<List<Step>> sequences() {
        return Combinators.combine(Arbitraries.of(AttemptOutcome.class), Arbitraries.of("1", "2", "3").injectNull(0.5),
                Arbitraries.longs().between(0, 900), Arbitraries.longs().between(0, 3600))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(15);
    }
}

package io.outdial.dialer.attempt;

import io.outdial.dialer.attempt.AttemptRules.Decided;
import io.outdial.dialer.calendar.CallingCalendar;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies a campaign's {@link AttemptRules} to one finished attempt.
 *
 * <p>Order: a rule that closes wins (success on the last allowed attempt is still success); then the rule's
 * own maximum; then the one total cap per contact, which no combination of rules can exceed; then the daily
 * cap (the retry moves to the next contact-local day). A retry time is the attempt's END plus the delay,
 * clamped into the calendar in the contact's zones; no opening left closes the contact with
 * {@link ContactResult#NO_WINDOW}. Pure: the caller stores the returned history and decision.
 */
final class AttemptPolicy {
    private final AttemptRules rules;
    private final CallingCalendar calendar;

    AttemptPolicy(AttemptRules rules, CallingCalendar calendar) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /**
     * Decides after an attempt.
     *
     * @param before the contact's history before this attempt
     * @param outcome the attempt's outcome
     * @param flowResult the flow's result key (e.g. a digit), or null
     * @param attemptEnd when the attempt ended (hang-up, failure), the base of every retry delay
     * @param zones the contact's zones; the first one defines the contact's local day
     * @param otherNumberLeft whether the contact has another dialable number (an invalid one then retries)
     */
    Decided decide(ContactAttempts before, AttemptOutcome outcome, String flowResult, Instant attemptEnd,
                          List<ZoneId> zones, boolean otherNumberLeft) {
        Optional<AttemptRule> found = rules.ruleFor(outcome, flowResult);
        String key = found.map(AttemptRule::key).orElse(outcome.name());
        ContactAttempts after = before.plus(key, attemptEnd, zones.get(0));
        if (found.isEmpty()) {
            return new Decided(after, new AttemptDecision.Close(ContactResult.FAILURE, key + ": no rule, closed"));
        }
        RuleAction action = found.get().action();
        if (action instanceof RuleAction.Close) {
            ContactResult result = ((RuleAction.Close) action).result();
            if (result == ContactResult.NO_VALID_NUMBER && otherNumberLeft) {
                return retry(after, key + ": trying the contact's next number", attemptEnd, attemptEnd, zones);
            }
            return new Decided(after, new AttemptDecision.Close(result, key + ": closed by rule"));
        } else if (action instanceof RuleAction.Retry) {
            RuleAction.Retry retry = (RuleAction.Retry) action;
            int used = after.count(key);
            if (used > retry.maxRetries()) {
                return close(after, ContactResult.EXHAUSTED,
                        key + ": " + retry.maxRetries() + " retries used, rule maximum reached");
            }
            if (after.total() >= rules.totalCap()) {
                return close(after, ContactResult.EXHAUSTED,
                        key + ": total attempt cap " + rules.totalCap() + " reached");
            }
            Instant earliest = attemptEnd.plus(retry.delay());
            String reason = key + ": retry " + used + " of " + retry.maxRetries() + " after " + retry.delay();
            return retry(after, reason, attemptEnd, earliest, zones);
        } else {
            throw new IllegalStateException("unknown rule action " + action);
        }
    }

    private Decided retry(ContactAttempts after, String reason, Instant end, Instant earliest, List<ZoneId> zones) {
        if (after.total() >= rules.totalCap()) {
            return close(after, ContactResult.EXHAUSTED, reason + "; total attempt cap " + rules.totalCap() + " reached");
        }
        Instant wanted = earliest;
        if (after.countOn(end.atZone(zones.get(0)).toLocalDate()) >= rules.dailyCap()) {
            Instant nextDay = end.atZone(zones.get(0)).toLocalDate().plusDays(1).atStartOfDay(zones.get(0)).toInstant();
            if (nextDay.isAfter(wanted)) {
                wanted = nextDay;
                reason = reason + "; daily cap " + rules.dailyCap() + " reached, moved to the next day";
            }
        }
        Optional<Instant> at = calendar.clamp(wanted, zones);
        if (at.isEmpty()) {
            return close(after, ContactResult.NO_WINDOW, reason + "; no calendar opening left after " + wanted);
        }
        return new Decided(after, new AttemptDecision.RetryAt(at.get(), reason));
    }

    private static Decided close(ContactAttempts after, ContactResult result, String reason) {
        return new Decided(after, new AttemptDecision.Close(result, reason));
    }
}

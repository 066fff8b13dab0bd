package io.outdial.dialer.attempt;

import io.outdial.dialer.calendar.CallingCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A campaign's attempt rules plus the caps no rule can exceed: the {@code attempt} package's entry point.
 *
 * <p>One rule per (outcome, flow result); a flow-specific rule wins over the outcome's generic one. A rule either
 * retries after a delay at most a number of times, or closes the contact with a result. The total cap is the most
 * attempts a contact gets in total, whatever the rules say; the daily cap the most per local calendar day.
 * {@link #decide} applies the rules to one finished attempt. Immutable; equal when the rules (in order) and the
 * caps are.
 */
public final class AttemptRules {
    private final List<AttemptRule> rules;
    private final int totalCap;
    private final int dailyCap;

    AttemptRules(List<AttemptRule> rules, int totalCap, int dailyCap) {
        this.rules = List.copyOf(rules);
        if (totalCap < 1) {
            throw new IllegalArgumentException("attempt totalCap " + totalCap + " is below 1");
        }
        if (dailyCap < 1) {
            throw new IllegalArgumentException("attempt dailyCap " + dailyCap + " is below 1");
        }
        Set<String> keys = new HashSet<>();
        for (AttemptRule r : this.rules) {
            if (!keys.add(r.key())) {
                throw new IllegalArgumentException("attempt rule " + r.key() + " is defined twice; expected one");
            }
        }
        this.totalCap = totalCap;
        this.dailyCap = dailyCap;
    }

    /**
     * The documented defaults: NO_ANSWER 30 min ×3, BUSY 10 min ×3, CONGESTION and FAILED 5 min ×2,
     * MACHINE 2 h ×1, LEFT_EARLY and ANSWERED_NO_GOAL 1 h ×1, LOST 5 min ×3, INVALID_NUMBER closes (no valid
     * number), REJECTED closes (failure), ANSWERED_COMPLETED closes (success); 5 attempts in total, 3 per day.
     */
    public static AttemptRules defaults() {
        List<AttemptRule> r = new ArrayList<>();
        r.add(retry(AttemptOutcome.NO_ANSWER, Duration.ofMinutes(30), 3));
        r.add(retry(AttemptOutcome.BUSY, Duration.ofMinutes(10), 3));
        r.add(retry(AttemptOutcome.CONGESTION, Duration.ofMinutes(5), 2));
        r.add(retry(AttemptOutcome.FAILED, Duration.ofMinutes(5), 2));
        r.add(retry(AttemptOutcome.MACHINE, Duration.ofHours(2), 1));
        r.add(retry(AttemptOutcome.LEFT_EARLY, Duration.ofHours(1), 1));
        r.add(retry(AttemptOutcome.ANSWERED_NO_GOAL, Duration.ofHours(1), 1));
        r.add(retry(AttemptOutcome.LOST, Duration.ofMinutes(5), 3));
        r.add(close(AttemptOutcome.INVALID_NUMBER, ContactResult.NO_VALID_NUMBER));
        r.add(close(AttemptOutcome.REJECTED, ContactResult.FAILURE));
        r.add(close(AttemptOutcome.ANSWERED_COMPLETED, ContactResult.SUCCESS));
        return new AttemptRules(r, 5, 3);
    }

    /**
     * No rules yet (every outcome would close the contact as a failure), with these caps: the start of a rule set
     * built with {@link #withRetry}, {@link #withClose} and {@link #orElse}.
     *
     * @throws IllegalArgumentException if a cap is below 1
     */
    public static AttemptRules empty(int totalCap, int dailyCap) {
        return new AttemptRules(List.of(), totalCap, dailyCap);
    }

    /**
     * These rules plus one that retries {@code outcome} (narrowed to {@code flowResult}; null or blank: any)
     * {@code delay} after the attempt ended, at most {@code maxRetries} times.
     *
     * @throws IllegalArgumentException if the delay or maximum is negative, a LOST retry waits less than a minute,
     *                                  or these rules already have a rule for the outcome and flow result
     */
    public AttemptRules withRetry(AttemptOutcome outcome, String flowResult, Duration delay, int maxRetries) {
        return plus(new AttemptRule(outcome, flowResult, RuleAction.retry(delay, maxRetries)));
    }

    /**
     * These rules plus one that closes the contact with {@code result} after {@code outcome} (narrowed to
     * {@code flowResult}; null or blank: any).
     *
     * @throws IllegalArgumentException if these rules already have a rule for the outcome and flow result
     */
    public AttemptRules withClose(AttemptOutcome outcome, String flowResult, ContactResult result) {
        return plus(new AttemptRule(outcome, flowResult, RuleAction.close(result)));
    }

    private AttemptRules plus(AttemptRule rule) {
        List<AttemptRule> out = new ArrayList<>(rules);
        out.add(rule);
        return new AttemptRules(out, totalCap, dailyCap);
    }

    /**
     * These rules, then the rules of {@code others} for the (outcome, flow result) pairs these have no rule for;
     * with these caps. A campaign's own rules over {@link #defaults()}.
     */
    public AttemptRules orElse(AttemptRules others) {
        List<AttemptRule> out = new ArrayList<>(rules);
        for (AttemptRule other : others.rules) {
            if (out.stream().noneMatch(r -> r.key().equals(other.key()))) {
                out.add(other);
            }
        }
        return new AttemptRules(out, totalCap, dailyCap);
    }

    /** A copy with other caps. */
    public AttemptRules withCaps(int total, int daily) {
        return new AttemptRules(rules, total, daily);
    }

    /** The most attempts a contact gets in total, whatever the rules say. */
    public int totalCap() {
        return totalCap;
    }

    /** The most attempts a contact gets per local calendar day. */
    public int dailyCap() {
        return dailyCap;
    }

    /**
     * The updated history and the decision: retry the contact at a time, or close it with a result.
     *
     * @param history  the contact's history with this attempt
     * @param decision the package's own form of the decision; read it through {@link #retryTime()},
     *                 {@link #closedWith()} and {@link #reason()}
     */
    public record Decided(ContactAttempts history, AttemptDecision decision) {
        public Decided {
            Objects.requireNonNull(history, "history");
            Objects.requireNonNull(decision, "decision");
        }

        /** Dial the contact again at {@code at} (already inside the calendar). */
        public static Decided retry(ContactAttempts history, Instant at, String reason) {
            return new Decided(history, new AttemptDecision.RetryAt(at, reason));
        }

        /** Stop dialing the contact: it closes with {@code result}. */
        public static Decided close(ContactAttempts history, ContactResult result, String reason) {
            return new Decided(history, new AttemptDecision.Close(result, reason));
        }

        /** When the contact is dialed again; empty when it closes. */
        public Optional<Instant> retryTime() {
            return decision instanceof AttemptDecision.RetryAt r ? Optional.of(r.at()) : Optional.empty();
        }

        /** The result the contact closes with; empty when it is retried. */
        public Optional<ContactResult> closedWith() {
            return decision instanceof AttemptDecision.Close c ? Optional.of(c.result()) : Optional.empty();
        }

        /** Human-readable reason, e.g. {@code "BUSY: retry 2 of 3 after PT10M"}. */
        public String reason() {
            return decision.reason();
        }
    }

    /**
     * Decides after an attempt, retries clamped into {@code calendar} (see {@link AttemptPolicy} for the order in
     * which rules and caps apply). Pure: the caller stores the returned history and decision.
     *
     * @param calendar when the contact may be called
     * @param before the contact's history before this attempt
     * @param outcome the attempt's outcome
     * @param flowResult the flow's result key (e.g. a digit), or null
     * @param attemptEnd when the attempt ended (hang-up, failure), the base of every retry delay
     * @param zones the contact's zones; the first one defines the contact's local day
     * @param otherNumberLeft whether the contact has another dialable number (an invalid one then retries)
     */
    public Decided decide(CallingCalendar calendar, ContactAttempts before, AttemptOutcome outcome,
                          String flowResult, Instant attemptEnd, List<ZoneId> zones, boolean otherNumberLeft) {
        return new AttemptPolicy(this, calendar).decide(before, outcome, flowResult, attemptEnd, zones,
                otherNumberLeft);
    }

    static AttemptRule retry(AttemptOutcome o, Duration delay, int maxRetries) {
        return new AttemptRule(o, null, RuleAction.retry(delay, maxRetries));
    }

    static AttemptRule close(AttemptOutcome o, ContactResult result) {
        return new AttemptRule(o, null, RuleAction.close(result));
    }

    /** The rules, one per (outcome, flow result). */
    List<AttemptRule> rules() {
        return rules;
    }

    /** The rule for an outcome: the flow-specific one if present, else the generic one. */
    Optional<AttemptRule> ruleFor(AttemptOutcome outcome, String flowResult) {
        AttemptRule generic = null;
        for (AttemptRule r : rules) {
            if (r.outcome() != outcome) {
                continue;
            }
            if (r.flowResult() == null) {
                generic = r;
            } else if (r.flowResult().equals(flowResult)) {
                return Optional.of(r);
            }
        }
        return Optional.ofNullable(generic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttemptRules other && rules.equals(other.rules) && totalCap == other.totalCap
                && dailyCap == other.dailyCap;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, totalCap, dailyCap);
    }

    @Override
    public String toString() {
        return "AttemptRules[rules=" + rules + ", totalCap=" + totalCap + ", dailyCap=" + dailyCap + "]";
    }
}

package io.outdial.dialer.attempt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A campaign's attempt rules plus the caps no rule can exceed.
 *
 * @param rules one rule per (outcome, flow result); a flow-specific rule wins over the outcome's generic one
 * @param totalCap the most attempts a contact gets in total, whatever the rules say
 * @param dailyCap the most attempts a contact gets per local calendar day
 */
public record AttemptRules(List<AttemptRule> rules, int totalCap, int dailyCap) {

    public AttemptRules {
        rules = List.copyOf(rules);
        if (totalCap < 1) {
            throw new IllegalArgumentException("attempt totalCap " + totalCap + " is below 1");
        }
        if (dailyCap < 1) {
            throw new IllegalArgumentException("attempt dailyCap " + dailyCap + " is below 1");
        }
        Set<String> keys = new HashSet<>();
        for (AttemptRule r : rules) {
            if (!keys.add(r.key())) {
                throw new IllegalArgumentException("attempt rule " + r.key() + " is defined twice; expected one");
            }
        }
    }

    /**
     * The documented defaults: NO_ANSWER 30 min ×3, BUSY 10 min ×3, CONGESTION and FAILED 5 min ×2,
     * MACHINE 2 h ×1, LEFT_EARLY and ANSWERED_NO_GOAL 1 h ×1, LOST 5 min ×3, INVALID_NUMBER closes (no valid number), REJECTED
     * closes (failure), ANSWERED_COMPLETED closes (success); 5 attempts in total, 3 per day.
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

    public static AttemptRule retry(AttemptOutcome o, Duration delay, int maxRetries) {
        return new AttemptRule(o, null, RuleAction.retry(delay, maxRetries));
    }

    public static AttemptRule close(AttemptOutcome o, ContactResult result) {
        return new AttemptRule(o, null, RuleAction.close(result));
    }

    /** The rule for an outcome: the flow-specific one if present, else the generic one. */
    public Optional<AttemptRule> ruleFor(AttemptOutcome outcome, String flowResult) {
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

    /** A copy with other caps. */
    public AttemptRules withCaps(int total, int daily) {
        return new AttemptRules(rules, total, daily);
    }
}

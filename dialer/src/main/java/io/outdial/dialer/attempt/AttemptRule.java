package io.outdial.dialer.attempt;

import java.time.Duration;
import java.util.Objects;

/**
 * One rule: an outcome, optionally narrowed to a flow result (e.g. the key pressed), and its action.
 *
 * @param outcome the outcome this rule matches
 * @param flowResult the flow result it matches, or null for any
 * @param action retry or close
 */
record AttemptRule(AttemptOutcome outcome, String flowResult, RuleAction action) {

    /** LOST attempts are never redialed at once: their retry waits at least this long. */
    static final Duration MIN_LOST_DELAY = Duration.ofMinutes(1);

    public AttemptRule {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(action, "action");
        if (flowResult != null && flowResult.isBlank()) {
            flowResult = null;
        }
        if (outcome == AttemptOutcome.LOST && action instanceof RuleAction.Retry
                && ((RuleAction.Retry) action).delay().compareTo(MIN_LOST_DELAY) < 0) {
            throw new IllegalArgumentException("rule LOST: retry delay " + ((RuleAction.Retry) action).delay()
                    + " is too short; a lost attempt waits at least " + MIN_LOST_DELAY);
        }
    }

    /** The key counting this rule's matches in a contact's history. */
    public String key() {
        return flowResult == null ? outcome.name() : outcome.name() + ":" + flowResult;
    }
}

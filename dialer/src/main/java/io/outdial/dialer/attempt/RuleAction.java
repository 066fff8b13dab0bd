package io.outdial.dialer.attempt;

import java.time.Duration;
import java.util.Objects;

/** What an {@link AttemptRule} does with a matching outcome: retry later or close the contact. */
sealed interface RuleAction permits RuleAction.Retry, RuleAction.Close {

    /**
     * Retry {@code delay} after the attempt ended, at most {@code maxRetries} times for this rule.
     */
    record Retry(Duration delay, int maxRetries) implements RuleAction {
        public Retry {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delay " + delay + " is negative; expected >= 0");
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries " + maxRetries + " is negative; expected >= 0");
            }
        }
    }

    /** Close the contact with {@code result}. */
    record Close(ContactResult result) implements RuleAction {
        public Close {
            Objects.requireNonNull(result, "result");
        }
    }

    static Retry retry(Duration delay, int maxRetries) {
        return new Retry(delay, maxRetries);
    }

    static Close close(ContactResult result) {
        return new Close(result);
    }
}

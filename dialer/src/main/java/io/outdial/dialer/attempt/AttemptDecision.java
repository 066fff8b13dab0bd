package io.outdial.dialer.attempt;

import java.time.Instant;
import java.util.Objects;

/**
 * What happens to a contact after an attempt: retry at a time, or close with a result. Other packages read it
 * through {@link AttemptRules.Decided}.
 */
sealed interface AttemptDecision permits AttemptDecision.RetryAt, AttemptDecision.Close {

    /** Human-readable reason, e.g. {@code "BUSY: retry 2 of 3 after PT10M"}. */
    String reason();

    /** Dial again at {@code at} (already inside the calendar). */
    record RetryAt(Instant at, String reason) implements AttemptDecision {
        public RetryAt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Stop dialing this contact. */
    record Close(ContactResult result, String reason) implements AttemptDecision {
        public Close {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(reason, "reason");
        }
    }
}

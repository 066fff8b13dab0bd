package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.or;
import static io.outdial.dialer.campaign.DefinitionBinder.refuse;
import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.input.Reason;
import java.time.Duration;
import java.util.List;

/**
 * The {@code attempts} section of a campaign definition: rules per outcome (replacing the default rule of the same
 * outcome and flow result) and the caps of attempts per contact.
 */
record AttemptsSection(List<Rule> rules, Long totalCap, Long dailyCap) {
    AttemptsSection {
        whole("totalCap", totalCap, 1, 1);
        whole("dailyCap", dailyCap, 1, 1);
        for (int i = 0; rules != null && i < rules.size(); i++) {
            if (rules.get(i) == null) {
                throw refuse("$.rules[" + i + "].outcome", null, "one of " + List.of(AttemptOutcome.values()),
                    Reason.NOT_ALLOWED, "attempts.rules entry " + i + " is empty; give an outcome, one of "
                    + List.of(AttemptOutcome.values()));
            }
        }
        rules = rules == null ? null : List.copyOf(rules);
    }

    /** The given rules, then the default rules for the outcomes not given. */
    AttemptRules attemptRules() {
        AttemptRules d = AttemptRules.defaults();
        AttemptRules out = AttemptRules.empty(whole("totalCap", totalCap, d.totalCap(), 1),
            whole("dailyCap", dailyCap, d.dailyCap(), 1));
        for (Rule r : rules == null ? List.<Rule>of() : rules) {
            out = r.addTo(out);
        }
        return out.orElse(d);
    }

    /** One rule: an outcome (and flow result) either closes the contact or retries it. */
    record Rule(String outcome, String flowResult, String close, Duration retryAfter, Long maxRetries) {
        Rule {
            outcome(outcome);
            result(close);
            whole("maxRetries", maxRetries, 1, 0);
        }

        /** {@code rules} plus this rule. */
        AttemptRules addTo(AttemptRules rules) {
            return close != null ? rules.withClose(outcome(outcome), flowResult, result(close))
                : rules.withRetry(outcome(outcome), flowResult, or(retryAfter, Duration.ofMinutes(30)),
                    whole("maxRetries", maxRetries, 1, 0));
        }

        private static AttemptOutcome outcome(String v) {
            try {
                return AttemptOutcome.valueOf(or(v, ""));
            } catch (IllegalArgumentException e) {
                throw refuse("$.outcome", v, "one of " + List.of(AttemptOutcome.values()), Reason.NOT_ALLOWED,
                    "attempts.rules outcome \"" + or(v, "") + "\" is not one of " + List.of(AttemptOutcome.values()));
            }
        }

        private static ContactResult result(String v) {
            if (v == null) {
                return null;
            }
            try {
                return ContactResult.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw refuse("$.close", v, "one of " + List.of(ContactResult.values()), Reason.NOT_ALLOWED,
                    "attempts.rules close \"" + v + "\" is not one of " + List.of(ContactResult.values()));
            }
        }
    }
}

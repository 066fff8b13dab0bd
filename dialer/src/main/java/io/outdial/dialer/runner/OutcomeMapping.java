package io.outdial.dialer.runner;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.ivr.spi.FlowResult;

/** Maps the call engine's final outcome onto the campaign's attempt outcome and flow key. */
public final class OutcomeMapping {
    private OutcomeMapping() { }

    /**
     * An attempt outcome for the rules.
     *
     * @param outcome the rule outcome
     * @param flowKey the flow result key (goal name, else the last answer given), or null
     */
    public record Mapped(AttemptOutcome outcome, String flowKey) {
        public Mapped {
            if (outcome == null) {
                throw new IllegalArgumentException("mapped outcome must be set");
            }
        }
    }

    /** Maps {@code o}; an answered call's flow decides between completed, left early and failed. */
    public static Mapped map(CallOutcome o) {
        FlowResult flow = o.flowResult();
        String key = flowKey(flow);
        switch (o.kind()) {
            case ANSWERED:
                if (flow == null || flow.completion() == FlowResult.Completion.COMPLETED) {
                    return new Mapped(AttemptOutcome.ANSWERED_COMPLETED, key);
                }
                return new Mapped(flow.completion() == FlowResult.Completion.LEFT_EARLY
                        ? AttemptOutcome.LEFT_EARLY : AttemptOutcome.FAILED, key);
            case MACHINE:
                return new Mapped(AttemptOutcome.MACHINE, key);
            case BUSY:
                return new Mapped(AttemptOutcome.BUSY, null);
            case NO_ANSWER:
                return new Mapped(AttemptOutcome.NO_ANSWER, null);
            case CONGESTION:
                return new Mapped(AttemptOutcome.CONGESTION, null);
            case INVALID_NUMBER:
                return new Mapped(AttemptOutcome.INVALID_NUMBER, null);
            case REJECTED:
                return new Mapped(AttemptOutcome.REJECTED, null);
            case LOST:
            case NOT_PLACED: // the runner hands such a contact back instead (no attempt); LOST if it ever gets here
                return new Mapped(AttemptOutcome.LOST, null);
            case FAILED:
            default:
                return new Mapped(AttemptOutcome.FAILED, null);
        }
    }

    /** The goal reached, else the answer of the last gather node on the path, else null. */
    static String flowKey(FlowResult flow) {
        if (flow == null) {
            return null;
        }
        if (flow.goalReached() && flow.goalName() != null) {
            return flow.goalName();
        }
        String last = null;
        for (String node : flow.path()) {
            String a = flow.answers().get(node);
            if (a != null && !a.isEmpty()) {
                last = a;
            }
        }
        return last;
    }
}

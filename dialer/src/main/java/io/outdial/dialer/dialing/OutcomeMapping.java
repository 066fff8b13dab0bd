package io.outdial.dialer.dialing;

import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.ivr.spi.FlowResult;

/** Maps the call engine's final outcome onto the campaign's attempt outcome and flow key. */
final class OutcomeMapping {
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

    /** Maps {@code o}, its flow having goals: see {@link #map(CallOutcome, boolean)}. */
    public static Mapped map(CallOutcome o) {
        return map(o, true);
    }

    /**
     * Maps {@code o}; an answered call's flow decides between completed, completed without a goal, left early and
     * failed. Success is the flow's goal: a flow that has goals ({@code flowHasGoals}) and ended without reaching
     * one is {@link AttemptOutcome#ANSWERED_NO_GOAL}, so an answering machine that listened to the whole flow (AMD
     * off) is not a success. A flow without goal nodes, or no flow, succeeds by running to its end, and so does a
     * flow the callee left through an {@code unsubscribe} node.
     */
    public static Mapped map(CallOutcome o, boolean flowHasGoals) {
        FlowResult flow = o.flowResult();
        String key = flowKey(flow);
        switch (o.kind()) {
            case ANSWERED:
                if (flow == null || flow.completion() == FlowResult.Completion.COMPLETED) {
                    // an unsubscribe is the callee's own decision, closed as before (and stop-listed)
                    boolean noGoal = flow != null && flowHasGoals && !flow.goalReached() && !flow.unsubscribed();
                    return new Mapped(noGoal ? AttemptOutcome.ANSWERED_NO_GOAL : AttemptOutcome.ANSWERED_COMPLETED,
                            key);
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

    /** Whether {@code flow} has at least one goal node (false for another kind of runner or no flow). */
    public static boolean hasGoals(io.outdial.ivr.spi.FlowRunner flow) {
        return flow instanceof io.outdial.ivr.engine.FlowInterpreter
                && ((io.outdial.ivr.engine.FlowInterpreter) flow).flow().nodes().values().stream()
                        .anyMatch(n -> n instanceof io.outdial.ivr.flow.Node.Goal);
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

package io.outdial.ivr.engine;

import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.spi.FlowSession;
import java.util.function.Consumer;

/**
 * Runs one version of a flow on answered calls. Thread-safe and shareable: one per campaign flow version;
 * each {@link #open} makes an independent, single-threaded session. Sessions never block and start no threads:
 * every wait is a {@link CallControl} command whose outcome comes back as a call event.
 */
public final class FlowInterpreter implements FlowRunner {

    /** Default bound on node entries per call; a run past it ends with {@code ERROR}. */
    public static final int DEFAULT_MAX_STEPS = 1000;

    private final Flow flow;
    private final int maxSteps;
    private final Conditions conditions;

    /** A runner for a flow the validator accepted. */
    public static FlowInterpreter of(ValidationReport report) {
        if (!report.isValid()) {
            throw new IllegalArgumentException("flow " + (report.flow() == null ? "?" : report.flow().id())
                    + " is not valid and cannot run:\n" + report.render());
        }
        return new FlowInterpreter(report.flow(), DEFAULT_MAX_STEPS);
    }

    /**
     * A runner for a flow. The flow should have passed {@code FlowValidator}; this constructor only checks that
     * the graph is closed (start and every link name a node) so that a session can never reach a missing node.
     */
    public FlowInterpreter(Flow flow, int maxSteps) {
        if (flow.node(flow.start()) == null) {
            throw new IllegalArgumentException("flow " + flow.id() + " start \"" + flow.start() + "\" is not a node");
        }
        for (Node n : flow.nodes().values()) {
            for (String next : n.successors()) {
                if (flow.node(next) == null) {
                    throw new IllegalArgumentException("flow " + flow.id() + " node \"" + n.id()
                            + "\" links to unknown node \"" + next + "\"");
                }
            }
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be 1 or more, was " + maxSteps);
        }
        this.flow = flow;
        this.maxSteps = maxSteps;
        this.conditions = new Conditions(flow);
    }

    /** The flow this runner runs. */
    public Flow flow() {
        return flow;
    }

    @Override
    public FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished) {
        return new InterpreterSession(flow, conditions, maxSteps, call, control, onFinished, Observer.NONE);
    }

    /** As {@link #open(CallInfo, CallControl, Consumer)}, telling {@code observer} of each node the run enters. */
    public FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished, Observer observer) {
        return new InterpreterSession(flow, conditions, maxSteps, call, control, onFinished,
                java.util.Objects.requireNonNull(observer, "observer"));
    }

    /** Watches one run from inside (the flow try-out shows the path live); called on the call's context. */
    public interface Observer {
        /**
         * The run enters {@code nodeId} (of {@code type}, e.g. {@code gather}); {@code answers} and {@code vars}
         * are the run's state as it enters (copies).
         */
        void nodeEntered(String nodeId, String type, java.util.Map<String, String> answers,
                         java.util.Map<String, String> vars);

        /** An observer that does nothing. */
        Observer NONE = (nodeId, type, answers, vars) -> { };
    }
}

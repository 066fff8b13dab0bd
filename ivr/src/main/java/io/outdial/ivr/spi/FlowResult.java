package io.outdial.ivr.spi;

import java.util.List;
import java.util.Map;

/**
 * The result of one flow run, saved with the attempt and used by the attempt rules and cascade links.
 *
 * @param flowId       the flow's id
 * @param flowVersion  the flow version that ran
 * @param path         node ids in the order they were entered
 * @param answers      the answer per gather node id (keys pressed or digit string)
 * @param recordings   the recording reference per record node id
 * @param vars         variables at the end of the flow
 * @param goalReached  a {@code goal} node was reached
 * @param goalName     name of the goal reached, or null
 * @param unsubscribed an {@code unsubscribe} node was reached
 * @param messages     events raised by {@code message} nodes, in order (cascade links use them)
 * @param completion   whether the flow completed or the callee left early
 * @param endNode      the node the flow ended on, or null if it never started
 */
public record FlowResult(String flowId, int flowVersion, List<String> path, Map<String, String> answers,
                         Map<String, String> recordings, Map<String, String> vars, boolean goalReached,
                         String goalName, boolean unsubscribed, List<String> messages, Completion completion,
                         String endNode) {

    /** How the run ended; attempt rules treat these differently. */
    public enum Completion {
        /** The flow reached an end node (hangup, bridged transfer, end of graph). */
        COMPLETED,
        /** The callee hung up before the flow reached an end node. */
        LEFT_EARLY,
        /** The flow could not go on (e.g. a prompt failed to render) and hung up. */
        ERROR
    }

    public FlowResult {
        path = List.copyOf(path);
        answers = Map.copyOf(answers);
        recordings = Map.copyOf(recordings);
        vars = Map.copyOf(vars);
        messages = List.copyOf(messages);
        if (completion == null) {
            throw new IllegalArgumentException("completion must be set");
        }
    }
}

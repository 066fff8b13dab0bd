package io.outdial.ivr.survey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates of one flow over many attempts.
 *
 * @param flowId         the flow
 * @param runs           results counted (those of this flow id, any version)
 * @param completed      runs that reached an end
 * @param leftEarly      runs where the callee hung up first
 * @param errors         runs that ended in error
 * @param completionRate completed / runs, 0 when there are no runs
 * @param questions      one entry per gather node, in document order
 * @param reachedByNode  runs that entered each node, in document order
 * @param dropOffByNode  left-early runs by the node the callee left at
 */
public record SurveyReport(String flowId, int runs, long completed, long leftEarly, long errors, double completionRate,
                           List<QuestionStats> questions, Map<String, Long> reachedByNode,
                           Map<String, Long> dropOffByNode) {
    public SurveyReport {
        questions = List.copyOf(questions);
        reachedByNode = Collections.unmodifiableMap(new LinkedHashMap<>(reachedByNode));
        dropOffByNode = Collections.unmodifiableMap(new LinkedHashMap<>(dropOffByNode));
    }

    /**
     * One question (gather node).
     *
     * @param nodeId   the gather node
     * @param reached  runs that entered it
     * @param answered runs that gave a valid answer
     * @param counts   runs per answer; every menu key is listed, with 0 when never pressed
     */
    public record QuestionStats(String nodeId, long reached, long answered, Map<String, Long> counts) {
        public QuestionStats {
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        /** answered / reached, 0 when never reached. */
        public double answerRate() {
            return reached == 0 ? 0 : answered / (double) reached;
        }
    }
}

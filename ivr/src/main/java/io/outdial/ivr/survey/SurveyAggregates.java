package io.outdial.ivr.survey;

import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.spi.FlowResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Survey aggregates: a pure function of a flow and the results of its runs. */
public final class SurveyAggregates {

    private SurveyAggregates() {
    }

    /** Aggregates the results of {@code flow} (results of other flow ids are ignored). */
    public static SurveyReport of(Flow flow, List<FlowResult> results) {
        Map<String, Long> reached = new LinkedHashMap<>();
        flow.nodes().keySet().forEach(id -> reached.put(id, 0L));
        Map<String, Long> dropOff = new LinkedHashMap<>();
        long completed = 0;
        long left = 0;
        long errors = 0;
        int runs = 0;
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        Map<String, Long> answered = new LinkedHashMap<>();
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.Gather) {
                Node.Gather g = (Node.Gather) n;
                Map<String, Long> c = g.menu() != null ? new LinkedHashMap<>() : new TreeMap<>();
                if (g.menu() != null) {
                    g.menu().keySet().forEach(k -> c.put(k, 0L));
                }
                counts.put(g.id(), c);
                answered.put(g.id(), 0L);
            }
        }
        for (FlowResult r : results) {
            if (!flow.id().equals(r.flowId())) {
                continue;
            }
            runs++;
            switch (r.completion()) {
                case COMPLETED:
                    completed++;
                    break;
                case LEFT_EARLY:
                    left++;
                    if (r.endNode() != null) {
                        dropOff.merge(r.endNode(), 1L, Long::sum);
                    }
                    break;
                default:
                    errors++;
            }
            Set<String> seen = new HashSet<>(r.path());
            seen.forEach(id -> reached.computeIfPresent(id, (k, v) -> v + 1));
            r.answers().forEach((node, answer) -> {
                Map<String, Long> c = counts.get(node);
                if (c != null) {
                    c.merge(answer, 1L, Long::sum);
                    answered.merge(node, 1L, Long::sum);
                }
            });
        }
        List<SurveyReport.QuestionStats> questions = new ArrayList<>();
        counts.forEach((node, c) -> questions.add(new SurveyReport.QuestionStats(node, reached.get(node),
                answered.get(node), c)));
        return new SurveyReport(flow.id(), runs, completed, left, errors, runs == 0 ? 0 : completed / (double) runs,
                questions, reached, dropOff);
    }
}

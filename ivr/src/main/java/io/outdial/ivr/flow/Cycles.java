package io.outdial.ivr.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Strongly connected components (Tarjan) of a flow graph: each returned list is one cycle's node set. */
final class Cycles {

    private final Flow flow;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final List<List<String>> out = new ArrayList<>();
    private int counter;

    private Cycles(Flow flow) {
        this.flow = flow;
    }

    /** Every set of nodes that lie on a common cycle, including single nodes that point to themselves. */
    static List<List<String>> find(Flow flow) {
        Cycles c = new Cycles(flow);
        for (String id : flow.nodes().keySet()) {
            if (!c.index.containsKey(id)) {
                c.visit(id);
            }
        }
        return c.out;
    }

    // Recursion depth is bounded by the node count of one flow document (hundreds at most).
    private void visit(String id) {
        index.put(id, counter);
        low.put(id, counter);
        counter++;
        stack.push(id);
        Node node = flow.node(id);
        for (String next : node.successors()) {
            if (flow.node(next) == null) {
                continue;
            }
            if (!index.containsKey(next)) {
                visit(next);
                low.put(id, Math.min(low.get(id), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(id, Math.min(low.get(id), index.get(next)));
            }
        }
        if (low.get(id).equals(index.get(id))) {
            List<String> scc = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                scc.add(0, w);
            } while (!w.equals(id));
            if (scc.size() > 1 || node.successors().contains(id)) {
                out.add(scc);
            }
        }
    }
}

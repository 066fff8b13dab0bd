package io.outdial.ivr.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a flow and returns every problem at once (see docs/ivr-flows.md for the list of checks).
 *
 * <p>End rule: an <em>end node</em> is a {@code hangup} node or a {@code transfer} node (a bridged transfer ends
 * the flow). Every node reachable from {@code start} must have a path to an end node, and every cycle must
 * contain a {@code gather} node, the only node where the callee chooses the way. Without one, answers cannot change
 * between rounds and record or transfer outcomes do not steer the flow; the validator does not try to prove a
 * variable-counter loop finite and rejects it too.
 */
public final class FlowValidator {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private FlowValidator() {
    }

    /** Reads and validates a document in one step. */
    public static ValidationReport validate(String text, FlowDocuments.Format format, VoiceCatalog voices) {
        return validate(FlowDocuments.parse(text, format), voices);
    }

    /**
     * Validates a read document. Reading problems come first in the report, then the JSON Schema's violations that
     * no other check tells more precisely, then the semantic checks (links, reachability, loops, variables, voices).
     */
    public static ValidationReport validate(ParsedFlow parsed, VoiceCatalog voices) {
        // the checks see the reading problems: a value the reader refused is not also reported as missing
        List<ValidationError> all = new ArrayList<>(parsed.errors());
        Flow flow = parsed.flow();
        if (flow != null) {
            check(flow, voices, all);
        }
        List<ValidationError> checks = all.subList(parsed.errors().size(), all.size());
        List<ValidationError> errors = new ArrayList<>(parsed.errors());
        errors.addAll(FlowSchema.untold(parsed.schemaErrors(), parsed.errors(), checks));
        errors.addAll(checks);
        return new ValidationReport(flow, errors);
    }

    /** Validates a flow model (built in code or read earlier). */
    public static ValidationReport validate(Flow flow, VoiceCatalog voices) {
        List<ValidationError> errors = new ArrayList<>();
        check(flow, voices, errors);
        return new ValidationReport(flow, errors);
    }

    private static void check(Flow flow, VoiceCatalog voices, List<ValidationError> errors) {
        Checks c = new Checks(flow, voices, errors);
        if (flow.id() == null || !ID.matcher(flow.id()).matches()) {
            c.missing(null, "$.id", "flow \"id\" is " + (flow.id() == null ? "missing" : "\"" + flow.id() + "\"")
                    + "; expected letters, digits, _ . - (1-64 characters)");
        }
        if (flow.version() < 1) {
            c.missing(null, "$.version", "flow \"version\" must be a whole number 1 or more, was "
                    + (flow.version() == 0 ? "missing or 0" : flow.version()));
        }
        c.voice(null, "$.voice", flow.voice());
        for (String var : flow.variables().keySet()) {
            if (!ID.matcher(var).matches()) {
                c.error(null, "$.variables." + var, "variable name \"" + var
                        + "\" is not valid; expected letters, digits, _ . -");
            }
        }
        if (flow.nodes().isEmpty()) {
            c.missing(null, "$.nodes", "the flow has no nodes; expected at least one node and a hangup");
        }
        if (flow.start() == null) {
            c.missing(null, "$.start", "flow \"start\" is missing; expected the id of the first node");
        } else if (flow.node(flow.start()) == null) {
            c.error(null, "$.start", "start \"" + flow.start() + "\" is not a node of this flow");
        }
        for (Node node : flow.nodes().values()) {
            if (!ID.matcher(node.id()).matches()) {
                c.error(node.id(), FlowPaths.node(node.id()), "node id \"" + node.id()
                        + "\" is not valid; expected letters, digits, _ . - (1-64 characters)");
            }
            NodeChecks.check(node, c);
        }
        graph(flow, c);
    }

    private static void graph(Flow flow, Checks c) {
        Set<String> reachable = new LinkedHashSet<>();
        if (flow.node(flow.start()) != null) {
            Deque<String> todo = new ArrayDeque<>(List.of(flow.start()));
            while (!todo.isEmpty()) {
                String id = todo.pop();
                Node n = flow.node(id);
                if (n != null && reachable.add(id)) {
                    todo.addAll(n.successors());
                }
            }
            for (String id : flow.nodes().keySet()) {
                if (!reachable.contains(id)) {
                    c.error(id, FlowPaths.node(id), "node \"" + id + "\" is unreachable from start \""
                            + flow.start() + "\"");
                }
            }
        }
        Set<String> canEnd = canEnd(flow);
        for (String id : reachable) {
            if (!canEnd.contains(id)) {
                c.error(id, FlowPaths.node(id), "no path from node \"" + id
                        + "\" reaches an end (a hangup or transfer node); the flow could never end");
            }
        }
        for (List<String> cycle : Cycles.find(flow)) {
            boolean asks = cycle.stream().map(flow::node).anyMatch(n -> n instanceof Node.Gather);
            if (!asks) {
                String first = cycle.get(0);
                c.error(first, FlowPaths.node(first), "loop " + String.join(" -> ", cycle) + " -> " + first
                        + " never asks the callee (no gather node in it), so nothing can change between rounds;"
                        + " it would never end");
            }
        }
    }

    private static Set<String> canEnd(Flow flow) {
        Set<String> ends = new HashSet<>();
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.Hangup || n instanceof Node.Transfer) {
                ends.add(n.id());
            }
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Node n : flow.nodes().values()) {
                if (!ends.contains(n.id()) && n.successors().stream().anyMatch(ends::contains)) {
                    ends.add(n.id());
                    changed = true;
                }
            }
        }
        return ends;
    }
}

package io.outdial.ivr.flow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Per node type checks of the validator. */
final class NodeChecks {

    private NodeChecks() {
    }

    static void check(Node node, Checks c) {
        String id = node.id();
        String p = FlowPaths.node(id);
        if (node instanceof Node.Say) {
            Node.Say n = (Node.Say) node;
            if (n.text() == null) {
                c.missing(id, p + ".text", "missing prompt: a say node needs \"text\"");
            } else {
                c.text(id, p + ".text", n.text());
            }
            c.voice(id, p + ".voice", n.voice());
            c.next(id, p + ".next", n.next(), "next");
        } else if (node instanceof Node.Play) {
            Node.Play n = (Node.Play) node;
            if (n.uri() == null) {
                c.missing(id, p + ".uri", "missing prompt: a play node needs \"uri\" (prompt:<id> or sound:<name>)");
            } else {
                c.media(id, p + ".uri", n.uri());
            }
            c.next(id, p + ".next", n.next(), "next");
        } else if (node instanceof Node.Gather) {
            gather((Node.Gather) node, c, p);
        } else if (node instanceof Node.Record) {
            Node.Record n = (Node.Record) node;
            c.prompt(id, p + ".prompt", n.prompt(), false);
            positive(c, id, p + ".maxLength", n.maxLength());
            c.keys(id, p + ".finishKey", n.finishKey(), "finishKey");
            c.next(id, p + ".next", n.next(), "next");
        } else if (node instanceof Node.SetVars) {
            Node.SetVars n = (Node.SetVars) node;
            if (n.values().isEmpty()) {
                c.missing(id, p + ".values", "a set node needs \"values\": variable name to template value");
            }
            n.values().forEach((var, value) -> {
                if (!c.flow.variables().containsKey(var)) {
                    c.error(id, p + ".values." + var, "sets unknown variable \"" + var
                            + "\"; declare it under \"variables\"");
                }
                c.template(id, p + ".values." + var, value);
            });
            c.next(id, p + ".next", n.next(), "next");
        } else if (node instanceof Node.Branch) {
            branch((Node.Branch) node, c, p);
        } else if (node instanceof Node.Transfer) {
            transfer((Node.Transfer) node, c, p);
        } else if (node instanceof Node.Message) {
            Node.Message n = (Node.Message) node;
            if (n.event() == null || !FlowValidator.ID.matcher(n.event()).matches()) {
                c.missing(id, p + ".event", "a message node needs \"event\": a name of letters, digits, _ . -");
            }
            n.params().forEach((k, v) -> c.template(id, p + ".params." + k, v));
            c.next(id, p + ".next", n.next(), "next");
        } else if (node instanceof Node.Unsubscribe) {
            c.next(id, p + ".next", ((Node.Unsubscribe) node).next(), "next");
        } else if (node instanceof Node.Goal) {
            Node.Goal n = (Node.Goal) node;
            if (n.name() == null || n.name().isBlank()) {
                c.missing(id, p + ".name", "a goal node needs \"name\"");
            }
            c.next(id, p + ".next", n.next(), "next");
        } else if (!(node instanceof Node.Hangup)) {
            throw new IllegalStateException("unhandled node " + node);
        }
    }

    private static void gather(Node.Gather n, Checks c, String p) {
        String id = n.id();
        c.prompt(id, p + ".prompt", n.prompt(), true);
        c.prompt(id, p + ".noInput", n.noInput(), false);
        c.prompt(id, p + ".noMatch", n.noMatch(), false);
        if ((n.menu() == null) == (n.digits() == null)) {
            c.missing(id, p, "a gather node needs exactly one of \"menu\" (key to node) or \"digits\" (with next)");
        }
        if (n.menu() != null) {
            if (n.menu().isEmpty()) {
                c.missing(id, p + ".menu",
                        "invalid key map: the menu is empty; expected key to node, e.g. \"1\": \"yes\"");
            }
            for (Map.Entry<String, String> e : n.menu().entrySet()) {
                String kp = p + ".menu." + e.getKey();
                if (e.getKey().length() != 1 || !Checks.isDtmf(e.getKey().charAt(0))) {
                    c.error(id, kp, "invalid key map: key \"" + e.getKey() + "\" is not one key; expected 0-9, * or #");
                }
                c.next(id, kp, e.getValue(), "menu key " + e.getKey());
            }
            if (n.next() != null) {
                c.error(id, p + ".next", "a menu gather goes where the key says; \"next\" is only for digits");
            }
        }
        if (n.digits() != null) {
            Node.Digits d = n.digits();
            if (d.minLength() < 1 || d.maxLength() < d.minLength() || d.maxLength() > 64) {
                c.error(id, p + ".digits", "digits min " + d.minLength() + " and max " + d.maxLength()
                        + " are not valid; expected 1 <= min <= max <= 64");
            }
            if (d.terminator().length() > 1) {
                c.error(id, p + ".digits.terminator", "terminator \"" + d.terminator() + "\" must be one key or empty");
            }
            c.keys(id, p + ".digits.terminator", d.terminator(), "terminator");
            if (d.pattern() != null) {
                c.pattern(id, p + ".digits.pattern", d.pattern());
            }
            c.next(id, p + ".next", n.next(), "next");
        }
        positive(c, id, p + ".timeout", n.timeout());
        positive(c, id, p + ".interDigitTimeout", n.interDigitTimeout());
        if (n.retries() < 0 || n.retries() > 10) {
            c.error(id, p + ".retries", "retries " + n.retries() + " is out of range; expected 0 to 10");
        }
        c.next(id, p + ".onFail", n.onFail(), "onFail");
    }

    private static void branch(Node.Branch n, Checks c, String p) {
        String id = n.id();
        if (n.cases().isEmpty()) {
            c.warning(id, p + ".cases", "a branch without cases always goes to \"default\"");
        }
        for (int i = 0; i < n.cases().size(); i++) {
            Node.Case kase = n.cases().get(i);
            String cp = p + ".cases[" + i + "]";
            if (kase.when().isEmpty()) {
                c.missing(id, cp + ".when", "a case needs \"when\": a condition or a list of conditions");
            }
            for (int j = 0; j < kase.when().size(); j++) {
                condition(kase.when().get(j), c, id, kase.when().size() == 1 ? cp + ".when" : cp + ".when[" + j + "]");
            }
            c.next(id, cp + ".next", kase.next(), "next");
        }
        c.next(id, p + ".default", n.defaultNext(), "default");
    }

    private static void condition(Condition cond, Checks c, String id, String path) {
        String s = cond.subject();
        if (s == null) {
            c.missing(id, path + ".subject",
                    "a condition needs \"subject\", e.g. answers.q1, vars.x, contact.city, amd");
        } else if (!s.equals("amd") && !s.equals("amdCause") && !s.equals("phone")) {
            int dot = s.indexOf('.');
            c.reference(id, path + ".subject", dot < 0 ? s : s.substring(0, dot), dot < 0 ? null : s.substring(dot + 1),
                    "subject \"" + s + "\"");
        }
        if (cond.op() == null) {
            c.missing(id, path + ".op",
                    "a condition needs \"op\": eq, ne, in, notIn, matches, empty, notEmpty, gt, lt, ge, le");
            return;
        }
        int n = cond.values().size();
        int arity = cond.op().arity();
        if ((arity == 0 && n != 0) || (arity == 1 && n != 1) || (arity < 0 && n == 0)) {
            c.error(id, path, "operator " + cond.op().json() + " takes " + (arity == 0 ? "no value"
                    : arity == 1 ? "one \"value\"" : "one or more \"values\"") + ", got " + n);
        }
        if (cond.op() == Condition.Op.MATCHES && n == 1) {
            c.pattern(id, path + ".value", cond.values().get(0));
        }
    }

    private static void transfer(Node.Transfer n, Checks c, String p) {
        String id = n.id();
        c.prompt(id, p + ".prompt", n.prompt(), false);
        if (n.number() == null || n.number().isBlank()) {
            c.missing(id, p + ".number", "a transfer node needs \"number\"");
        } else {
            c.template(id, p + ".number", n.number());
        }
        positive(c, id, p + ".ringTimeout", n.ringTimeout());
        c.next(id, p + ".onUnanswered", n.onUnanswered(), "onUnanswered");
        if (n.onBridged() != null) {
            c.next(id, p + ".onBridged", n.onBridged(), "onBridged");
            Deque<String> todo = new ArrayDeque<>();
            todo.add(n.onBridged());
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                Node after = c.flow.node(todo.pop());
                if (after == null || !seen.add(after.id())) {
                    continue;
                }
                if (!isSilent(after)) {
                    c.error(id, p + ".onBridged", "after a bridged transfer only silent nodes (set, branch, message,"
                            + " unsubscribe, goal, hangup) may run, but \"" + after.id() + "\" is a "
                            + NodeType.of(after).json() + " node");
                } else {
                    todo.addAll(after.successors());
                }
            }
        }
    }

    static boolean isSilent(Node n) {
        return n instanceof Node.SetVars || n instanceof Node.Branch || n instanceof Node.Message
                || n instanceof Node.Unsubscribe || n instanceof Node.Goal || n instanceof Node.Hangup;
    }

    private static void positive(Checks c, String id, String path, Duration d) {
        if (d.isZero() || d.isNegative()) {
            c.error(id, path, "must be more than 0 seconds, was " + d.toMillis() / 1000.0);
        }
    }
}

package io.outdial.ivr.engine;

import io.outdial.ivr.flow.Condition;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import io.outdial.ivr.flow.PromptPart;
import io.outdial.ivr.flow.Template;
import io.outdial.ivr.flow.Voice;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.Prompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run has gathered so far (path, answers, recordings, variables, goal, unsubscribe, messages), the
 * template lookups over it, and the silent nodes that only change it. Owned by one {@link InterpreterSession}.
 */
final class RunState {

    final List<String> path = new ArrayList<>();
    final Map<String, String> answers = new LinkedHashMap<>();
    final Map<String, String> recordings = new LinkedHashMap<>();
    private final Map<String, String> vars;
    private final List<String> messages = new ArrayList<>();
    private boolean goalReached;
    private String goalName;
    private boolean unsubscribed;

    private final Flow flow;
    private final CallInfo call;

    RunState(Flow flow, CallInfo call) {
        this.flow = flow;
        this.call = call;
        this.vars = new LinkedHashMap<>(flow.variables());
    }

    /** The variables now (a copy). */
    Map<String, String> varsNow() {
        return Map.copyOf(vars);
    }

    /** Nodes that neither play nor wait: they only change this state and go on at once. */
    static boolean isSilent(Node n) {
        return n instanceof Node.SetVars || n instanceof Node.Branch || n instanceof Node.Message
                || n instanceof Node.Unsubscribe || n instanceof Node.Goal;
    }

    /** Runs a silent node; returns the next node id. */
    String enterSilent(Node n, Conditions conditions) {
        if (n instanceof Node.SetVars) {
            Node.SetVars set = (Node.SetVars) n;
            set.values().forEach((k, v) -> vars.put(k, resolve(v)));
            return set.next();
        } else if (n instanceof Node.Branch) {
            return branch((Node.Branch) n, conditions);
        } else if (n instanceof Node.Message) {
            Node.Message m = (Node.Message) n;
            Map<String, String> params = new LinkedHashMap<>();
            m.params().forEach((k, v) -> params.put(k, resolve(v)));
            messages.add(new RaisedMessage(m.event(), params).encode());
            return m.next();
        } else if (n instanceof Node.Unsubscribe) {
            unsubscribed = true;
            return ((Node.Unsubscribe) n).next();
        } else if (n instanceof Node.Goal) {
            goalReached = true;
            goalName = ((Node.Goal) n).name();
            return ((Node.Goal) n).next();
        }
        throw new IllegalStateException("not a silent node: " + n);
    }

    private String branch(Node.Branch b, Conditions conditions) {
        for (Node.Case c : b.cases()) {
            boolean all = true;
            for (Condition cond : c.when()) {
                if (!conditions.test(cond, this::subject)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return c.next();
            }
        }
        return b.defaultNext();
    }

    private String subject(String subject) {
        if ("amd".equals(subject)) {
            return call.amdStatus();
        } else if ("amdCause".equals(subject)) {
            return call.amdCause();
        } else if ("phone".equals(subject)) {
            return call.phone();
        }
        int dot = subject.indexOf('.');
        return dot < 0 ? null : lookup(subject.substring(0, dot), subject.substring(dot + 1));
    }

    /** Final prompts: templates resolved, blank texts dropped, voices chosen (part, then node, then flow). */
    List<Prompt> prompts(List<PromptPart> parts, Node node) {
        List<Prompt> out = new ArrayList<>(parts.size());
        Voice nodeVoice = node instanceof Node.Say ? ((Node.Say) node).voice() : null;
        for (PromptPart p : parts) {
            if (p.uri() != null) {
                out.add(new Prompt.Media(p.uri()));
                continue;
            }
            String text = resolve(p.text());
            if (text.isBlank()) {
                continue;
            }
            Voice v = p.voice() != null ? p.voice() : nodeVoice != null ? nodeVoice : flow.voice();
            out.add(new Prompt.Tts(text, v.engine(), v.voice()));
        }
        return out;
    }

    String resolve(String template) {
        return Template.resolve(template, ref -> lookup(ref.namespace(), ref.name()));
    }

    private String lookup(String ns, String name) {
        if ("contact".equals(ns)) {
            return call.contactFields().get(name);
        } else if ("answers".equals(ns)) {
            return answers.get(name);
        } else if ("vars".equals(ns)) {
            return vars.get(name);
        }
        return null;
    }

    FlowResult result(FlowResult.Completion completion, String endNode) {
        return new FlowResult(flow.id(), flow.version(), path, answers, recordings, vars, goalReached, goalName,
                unsubscribed, messages, completion, endNode);
    }
}

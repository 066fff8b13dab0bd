package io.outdial.ivr.flow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a JSON tree to a {@link Flow}, reporting unknown fields, unknown node types and wrong value types
 * instead of throwing. Missing required values stay null; the validator reports them.
 */
final class FlowBinder {

    static final Set<String> FLOW_FIELDS = Set.of("$schema", "id", "version", "name", "description", "voice",
            "start", "variables", "nodes");

    private final List<ValidationError> errors;
    private final JsonReader r;

    FlowBinder(List<ValidationError> errors) {
        this.errors = errors;
        this.r = new JsonReader(errors);
    }

    Flow bind(JsonNode root) {
        r.checkFields(root, "$", FLOW_FIELDS, "the flow");
        String id = r.string(root, "$", "id");
        Integer version = r.integer(root, "$", "version");
        String name = r.string(root, "$", "name");
        Voice voice = voice(root.get("voice"), "$.voice");
        String start = r.string(root, "$", "start");
        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode vars = root.get("variables");
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) {
                r.typeError("$.variables", "an object of variable name to initial value", vars);
            } else {
                vars.properties().forEach(e -> {
                    String v = r.scalar(e.getValue(), "$.variables." + e.getKey());
                    variables.put(e.getKey(), v == null ? "" : v);
                });
            }
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        JsonNode nodesJson = root.get("nodes");
        if (nodesJson != null && !nodesJson.isObject()) {
            r.typeError("$.nodes", "an object of node id to node", nodesJson);
        } else if (nodesJson != null) {
            for (Map.Entry<String, JsonNode> e : nodesJson.properties()) {
                Node node = node(e.getKey(), e.getValue());
                if (node != null) {
                    nodes.put(e.getKey(), node);
                }
            }
        }
        return new Flow(id, version == null ? 0 : version, name, voice, start, nodes, variables);
    }

    private Node node(String id, JsonNode n) {
        String path = FlowPaths.node(id);
        if (!n.isObject()) {
            r.typeError(path, "a node object with a \"type\"", n);
            return null;
        }
        String type = r.string(n, path, "type");
        NodeType nodeType = NodeType.fromJson(type);
        if (nodeType == null) {
            String msg = type == null ? "node has no \"type\"" : "unknown node type \"" + type + "\"";
            errors.add(ValidationError.error(id, path + ".type", msg + "; expected one of " + NodeType.names()));
            // A placeholder keeps links to this node from being reported as dangling too: one error per mistake.
            // The flow is invalid anyway, so the placeholder never runs.
            return new Node.Hangup(id);
        }
        r.checkFields(n, path, nodeType.fields(), "a " + type + " node");
        switch (nodeType) {
            case SAY:
                return new Node.Say(id, r.string(n, path, "text"), voice(n.get("voice"), path + ".voice"),
                        r.string(n, path, "next"));
            case PLAY:
                return new Node.Play(id, r.string(n, path, "uri"), r.string(n, path, "next"));
            case GATHER:
                return gather(id, n, path);
            case RECORD:
                return new Node.Record(id, prompt(n, path, "prompt"),
                        seconds(n, path, "maxLength", Duration.ofSeconds(60)),
                        r.bool(n, path, "beep", true), seconds(n, path, "silence", Duration.ofSeconds(5)),
                        orDefault(r.string(n, path, "finishKey"), "#"), r.string(n, path, "next"));
            case SET:
                return new Node.SetVars(id, r.stringMap(n.get("values"), path + ".values"), r.string(n, path, "next"));
            case BRANCH:
                return branch(id, n, path);
            case TRANSFER:
                return new Node.Transfer(id, prompt(n, path, "prompt"), r.string(n, path, "number"),
                        r.string(n, path, "trunk"), seconds(n, path, "ringTimeout", Duration.ofSeconds(30)),
                        r.string(n, path, "callerId"), r.string(n, path, "onBridged"),
                        r.string(n, path, "onUnanswered"));
            case MESSAGE:
                return new Node.Message(id, r.string(n, path, "event"), r.stringMap(n.get("params"),
                        path + ".params"), r.string(n, path, "next"));
            case UNSUBSCRIBE:
                return new Node.Unsubscribe(id, r.string(n, path, "next"));
            case GOAL:
                return new Node.Goal(id, r.string(n, path, "name"), r.string(n, path, "next"));
            case HANGUP:
                return new Node.Hangup(id);
            default:
                throw new IllegalStateException("unhandled node type " + nodeType);
        }
    }

    private Node.Gather gather(String id, JsonNode n, String path) {
        Map<String, String> menu = null;
        JsonNode menuJson = n.get("menu");
        if (menuJson != null && !menuJson.isNull()) {
            menu = r.stringMap(menuJson, path + ".menu");
        }
        Node.Digits digits = null;
        JsonNode d = n.get("digits");
        if (d != null && !d.isNull()) {
            String dp = path + ".digits";
            if (!d.isObject()) {
                r.typeError(dp, "an object with min, max, terminator, pattern", d);
            } else {
                r.checkFields(d, dp, Set.of("min", "max", "terminator", "pattern"), "digits");
                Integer min = r.integer(d, dp, "min");
                Integer max = r.integer(d, dp, "max");
                digits = new Node.Digits(min == null ? 1 : min, max == null ? 16 : max,
                        orDefault(r.string(d, dp, "terminator"), "#"), r.string(d, dp, "pattern"));
            }
        }
        Integer retries = r.integer(n, path, "retries");
        return new Node.Gather(id, prompt(n, path, "prompt"), menu, digits, r.string(n, path, "next"),
                seconds(n, path, "timeout", Duration.ofSeconds(5)),
                seconds(n, path, "interDigitTimeout", Duration.ofSeconds(3)), retries == null ? 2 : retries,
                prompt(n, path, "noInput"), prompt(n, path, "noMatch"), r.bool(n, path, "bargeIn", true),
                r.string(n, path, "onFail"));
    }

    private Node.Branch branch(String id, JsonNode n, String path) {
        List<Node.Case> cases = new ArrayList<>();
        JsonNode cs = n.get("cases");
        if (cs != null && !cs.isArray()) {
            r.typeError(path + ".cases", "an array of {when, next}", cs);
        } else if (cs != null) {
            for (int i = 0; i < cs.size(); i++) {
                String cp = path + ".cases[" + i + "]";
                JsonNode c = cs.get(i);
                if (!c.isObject()) {
                    r.typeError(cp, "an object {when, next}", c);
                    continue;
                }
                r.checkFields(c, cp, Set.of("when", "next"), "a branch case");
                cases.add(new Node.Case(conditions(c.get("when"), cp + ".when"), r.string(c, cp, "next")));
            }
        }
        return new Node.Branch(id, cases, r.string(n, path, "default"));
    }

    private List<Condition> conditions(JsonNode when, String path) {
        List<Condition> out = new ArrayList<>();
        if (when == null || when.isNull()) {
            return out;
        }
        if (when.isObject()) {
            addCondition(when, path, out);
        } else if (when.isArray()) {
            for (int i = 0; i < when.size(); i++) {
                addCondition(when.get(i), path + "[" + i + "]", out);
            }
        } else {
            r.typeError(path, "a condition object or an array of them", when);
        }
        return out;
    }

    private void addCondition(JsonNode c, String path, List<Condition> out) {
        if (!c.isObject()) {
            r.typeError(path, "a condition {subject, op, value}", c);
            return;
        }
        r.checkFields(c, path, Set.of("subject", "op", "value", "values"), "a condition");
        String opName = r.string(c, path, "op");
        Condition.Op op = Condition.Op.fromJson(opName);
        if (opName != null && op == null) {
            errors.add(ValidationError.error(FlowPaths.nodeIdOf(path), path + ".op", "unknown operator \""
                    + opName + "\"; expected one of eq, ne, in, notIn, matches, empty, notEmpty, gt, lt, ge, le"));
        }
        List<String> values = new ArrayList<>();
        String value = r.scalar(c.get("value"), path + ".value");
        if (value != null) {
            values.add(value);
        }
        JsonNode vs = c.get("values");
        if (vs != null && vs.isArray()) {
            for (int i = 0; i < vs.size(); i++) {
                String v = r.scalar(vs.get(i), path + ".values[" + i + "]");
                if (v != null) {
                    values.add(v);
                }
            }
        } else if (vs != null) {
            r.typeError(path + ".values", "an array of values", vs);
        }
        out.add(new Condition(r.string(c, path, "subject"), op, values));
    }

    private List<PromptPart> prompt(JsonNode n, String path, String field) {
        List<PromptPart> out = new ArrayList<>();
        JsonNode p = n.get(field);
        String pp = path + "." + field;
        if (p == null || p.isNull()) {
            return out;
        }
        if (p.isArray()) {
            for (int i = 0; i < p.size(); i++) {
                addPart(p.get(i), pp + "[" + i + "]", out);
            }
        } else {
            addPart(p, pp, out);
        }
        return out;
    }

    private void addPart(JsonNode p, String path, List<PromptPart> out) {
        if (p.isTextual()) {
            out.add(PromptPart.say(p.asText(), null));
            return;
        }
        if (!p.isObject()) {
            r.typeError(path, "a text, {say, voice} or {play}", p);
            return;
        }
        r.checkFields(p, path, Set.of("say", "play", "voice"), "a prompt part");
        String say = r.string(p, path, "say");
        String play = r.string(p, path, "play");
        if ((say == null) == (play == null)) {
            errors.add(ValidationError.error(FlowPaths.nodeIdOf(path), path,
                    "a prompt part needs exactly one of \"say\" (text) or \"play\" (uri)"));
            return;
        }
        out.add(say != null ? PromptPart.say(say, voice(p.get("voice"), path + ".voice")) : PromptPart.play(play));
    }

    private Voice voice(JsonNode v, String path) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            r.typeError(path, "an object {engine, voice}", v);
            return null;
        }
        r.checkFields(v, path, Set.of("engine", "voice"), "a voice");
        String engine = r.string(v, path, "engine");
        String name = r.string(v, path, "voice");
        if (engine == null || engine.isBlank() || name == null || name.isBlank()) {
            errors.add(ValidationError.error(FlowPaths.nodeIdOf(path), path,
                    "a voice needs both \"engine\" and \"voice\","
                            + " e.g. {\"engine\": \"espeak-ng\", \"voice\": \"ru\"}"));
            return null;
        }
        return new Voice(engine, name);
    }

    private Duration seconds(JsonNode n, String path, String field, Duration dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber() || v.asDouble() < 0) {
            r.typeError(path + "." + field, "a number of seconds, zero or more", v);
            return dflt;
        }
        return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }

    private static String orDefault(String value, String dflt) {
        return value == null ? dflt : value;
    }
}

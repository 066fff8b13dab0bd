package io.outdial.ivr.flow;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The node types of the flow language and the fields each accepts (besides {@code type} and {@code description}). */
public enum NodeType {
    SAY("text", "voice", "next"),
    PLAY("uri", "next"),
    GATHER("prompt", "menu", "digits", "next", "timeout", "interDigitTimeout", "retries", "noInput", "noMatch",
            "bargeIn", "onFail"),
    RECORD("prompt", "maxLength", "beep", "silence", "finishKey", "next"),
    SET("values", "next"),
    BRANCH("cases", "default"),
    TRANSFER("prompt", "number", "trunk", "ringTimeout", "callerId", "onBridged", "onUnanswered"),
    MESSAGE("event", "params", "next"),
    UNSUBSCRIBE("next"),
    GOAL("name", "next"),
    HANGUP();

    private final Set<String> fields;

    NodeType(String... fields) {
        this.fields = Set.copyOf(Arrays.asList(concat(fields, "type", "description")));
    }

    /** The spelling in documents, e.g. {@code gather}. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every field a node of this type may have, including {@code type} and {@code description}. */
    public Set<String> fields() {
        return fields;
    }

    /** The type spelled {@code json}, or null. */
    public static NodeType fromJson(String json) {
        for (NodeType t : values()) {
            if (t.json().equals(json)) {
                return t;
            }
        }
        return null;
    }

    /** The type of a node record. */
    public static NodeType of(Node node) {
        return fromJson(node.getClass().getSimpleName().equals("SetVars") ? "set"
                : node.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    }

    /** All spellings, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(NodeType::json).collect(Collectors.joining(", "));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

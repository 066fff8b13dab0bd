package io.outdial.ivr.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of a flow. Each case is a record named after its {@code type} in the document. Fields that
 * name the following node ({@code next}, {@code onFail}, ...) may be null in a parsed but invalid flow.
 * Several node kinds in one file because they form one closed vocabulary (see docs/ivr-flows.md).
 */
public sealed interface Node permits Node.Say, Node.Play, Node.Gather, Node.Record, Node.SetVars, Node.Branch,
        Node.Transfer, Node.Message, Node.Unsubscribe, Node.Goal, Node.Hangup {

    /** The node's id. */
    String id();

    /** Ids of the nodes this node may continue to, in declaration order, without nulls. */
    List<String> successors();

    /** Speaks a template text. */
    record Say(String id, String text, Voice voice, String next) implements Node {
        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Plays a recorded prompt ({@code prompt:<id>}) or a sound URI. */
    record Play(String id, String uri, String next) implements Node {
        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Digit-string settings of a gather node. */
    record Digits(int minLength, int maxLength, String terminator, String pattern) { }

    /**
     * Asks and collects keys: a menu (one key mapped to the next node) or a digit string ({@code digits}
     * with {@code next}). After {@code retries} repeats on no input or no match it goes to {@code onFail}.
     */
    record Gather(String id, List<PromptPart> prompt, Map<String, String> menu, Digits digits, String next,
                  Duration timeout, Duration interDigitTimeout, int retries, List<PromptPart> noInput,
                  List<PromptPart> noMatch, boolean bargeIn, String onFail) implements Node {
        public Gather {
            prompt = List.copyOf(prompt);
            menu = menu == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(menu));
            noInput = List.copyOf(noInput);
            noMatch = List.copyOf(noMatch);
        }

        @Override
        public List<String> successors() {
            List<String> out = new ArrayList<>();
            if (menu != null) {
                menu.values().forEach(out::add);
            }
            out.add(next);
            out.add(onFail);
            return list(out.toArray(new String[0]));
        }
    }

    /** Records the callee after an optional prompt. */
    record Record(String id, List<PromptPart> prompt, Duration maxLength, boolean beep, Duration silenceEnd,
                  String finishKey, String next) implements Node {
        public Record {
            prompt = List.copyOf(prompt);
        }

        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Sets variables to template values. */
    record SetVars(String id, Map<String, String> values, String next) implements Node {
        public SetVars {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }

        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** One ordered case of a branch: all conditions hold → {@code next}. */
    record Case(List<Condition> when, String next) {
        public Case {
            when = List.copyOf(when);
        }
    }

    /** Chooses the first case whose conditions all hold, else {@code defaultNext}. */
    record Branch(String id, List<Case> cases, String defaultNext) implements Node {
        public Branch {
            cases = List.copyOf(cases);
        }

        @Override
        public List<String> successors() {
            List<String> out = new ArrayList<>();
            cases.forEach(c -> out.add(c.next()));
            out.add(defaultNext);
            return list(out.toArray(new String[0]));
        }
    }

    /**
     * Transfers the call after an optional prompt. When bridged the flow ends, after running the optional
     * {@code onBridged} chain of silent nodes; otherwise it goes on at {@code onUnanswered}.
     */
    record Transfer(String id, List<PromptPart> prompt, String number, String trunk, Duration ringTimeout,
                    String callerId, String onBridged, String onUnanswered) implements Node {
        public Transfer {
            prompt = List.copyOf(prompt);
        }

        @Override
        public List<String> successors() {
            return list(onBridged, onUnanswered);
        }
    }

    /** Raises an event the cascade scheme can link on. */
    record Message(String id, String event, Map<String, String> params, String next) implements Node {
        public Message {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }

        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Puts the contact on the stop-list. */
    record Unsubscribe(String id, String next) implements Node {
        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Marks a goal as reached. */
    record Goal(String id, String name, String next) implements Node {
        @Override
        public List<String> successors() {
            return list(next);
        }
    }

    /** Ends the flow and hangs up. */
    record Hangup(String id) implements Node {
        @Override
        public List<String> successors() {
            return List.of();
        }
    }

    private static List<String> list(String... ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (String id : ids) {
            if (id != null) {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }
}

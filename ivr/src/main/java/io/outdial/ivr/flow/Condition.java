package io.outdial.ivr.flow;

import java.util.List;

/**
 * One test in a {@code branch} case.
 *
 * @param subject what is tested: {@code vars.<name>}, {@code answers.<node>}, {@code contact.<field>},
 *                {@code amd} (HUMAN, MACHINE, NOTSURE or empty), {@code amdCause} or {@code phone}
 * @param op      the comparison
 * @param values  the operands (one for eq/ne/matches/gt/lt/ge/le, several for in/notIn, none for empty/notEmpty)
 */
public record Condition(String subject, Op op, List<String> values) {

    /** Comparison operators. Numeric ones are false when either side is not a number. */
    public enum Op {
        EQ("eq"), NE("ne"), IN("in"), NOT_IN("notIn"), MATCHES("matches"), EMPTY("empty"),
        NOT_EMPTY("notEmpty"), GT("gt"), LT("lt"), GE("ge"), LE("le");

        private final String json;

        Op(String json) {
            this.json = json;
        }

        /** The spelling in flow documents. */
        public String json() {
            return json;
        }

        /** Number of operands: 0, 1, or -1 for one or more. */
        public int arity() {
            if (this == EMPTY || this == NOT_EMPTY) {
                return 0;
            }
            return this == IN || this == NOT_IN ? -1 : 1;
        }

        /** The operator spelled {@code json}, or null. */
        public static Op fromJson(String json) {
            for (Op op : values()) {
                if (op.json.equals(json)) {
                    return op;
                }
            }
            return null;
        }
    }

    public Condition {
        values = values == null ? List.of() : List.copyOf(values);
    }
}

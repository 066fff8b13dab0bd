package io.outdial.ivr.engine;

import io.outdial.ivr.flow.Condition;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.Node;
import java.math.BigDecimal;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Evaluates branch conditions. Shared by all sessions of a flow, on any thread: the patterns of the flow are
 * compiled once up front into an immutable map.
 */
final class Conditions {

    private final Map<String, Pattern> patterns;

    Conditions(Flow flow) {
        Map<String, Pattern> compiled = new HashMap<>();
        for (Node n : flow.nodes().values()) {
            if (n instanceof Node.Gather && ((Node.Gather) n).digits() != null
                    && ((Node.Gather) n).digits().pattern() != null) {
                compiled.computeIfAbsent(((Node.Gather) n).digits().pattern(), Pattern::compile);
            } else if (n instanceof Node.Branch) {
                for (Node.Case c : ((Node.Branch) n).cases()) {
                    for (Condition cond : c.when()) {
                        if (cond.op() == Condition.Op.MATCHES && !cond.values().isEmpty()) {
                            compiled.computeIfAbsent(cond.values().get(0), Pattern::compile);
                        }
                    }
                }
            }
        }
        this.patterns = Map.copyOf(compiled);
    }

    /** True when the condition holds; {@code subjectValue} gives the tested value ("" when missing). */
    boolean test(Condition c, Function<String, String> subjectValue) {
        String v = subjectValue.apply(c.subject());
        String value = v == null ? "" : v;
        String first = c.values().isEmpty() ? "" : c.values().get(0);
        switch (c.op()) {
            case EQ:
                return value.equals(first);
            case NE:
                return !value.equals(first);
            case IN:
                return c.values().contains(value);
            case NOT_IN:
                return !c.values().contains(value);
            case MATCHES:
                return matches(first, value);
            case EMPTY:
                return value.isEmpty();
            case NOT_EMPTY:
                return !value.isEmpty();
            default:
                return compare(c.op(), value, first);
        }
    }

    /** Full match of {@code value} against a regex of the flow (compiled once). */
    boolean matches(String regex, String value) {
        Pattern p = patterns.get(regex);
        return (p != null ? p : Pattern.compile(regex)).matcher(value).matches();
    }

    private static boolean compare(Condition.Op op, String left, String right) {
        BigDecimal a = number(left);
        BigDecimal b = number(right);
        if (a == null || b == null) {
            return false;
        }
        int cmp = a.compareTo(b);
        switch (op) {
            case GT:
                return cmp > 0;
            case LT:
                return cmp < 0;
            case GE:
                return cmp >= 0;
            case LE:
                return cmp <= 0;
            default:
                throw new IllegalArgumentException("not a numeric operator: " + op);
        }
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

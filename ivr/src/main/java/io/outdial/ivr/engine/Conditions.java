package io.outdial.ivr.engine;

import io.outdial.ivr.flow.Condition;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Evaluates branch conditions. Shared by all sessions of a flow; patterns are compiled once. */
final class Conditions {

    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

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
                return patterns.computeIfAbsent(first, Pattern::compile).matcher(value).matches();
            case EMPTY:
                return value.isEmpty();
            case NOT_EMPTY:
                return !value.isEmpty();
            default:
                return compare(c.op(), value, first);
        }
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

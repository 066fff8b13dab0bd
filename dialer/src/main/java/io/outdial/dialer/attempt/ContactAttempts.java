package io.outdial.dialer.attempt;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the rules need to know about a contact's past attempts; stored with the contact.
 *
 * @param total attempts made so far
 * @param byRule how many attempts matched each rule key ({@code OUTCOME}, or {@code OUTCOME:flowResult} for a
 *               flow-specific rule)
 * @param day the contact-local date of the last attempt, or null before the first
 * @param dayCount attempts made on {@code day}
 */
public record ContactAttempts(int total, Map<String, Integer> byRule, LocalDate day, int dayCount) {

    /** A contact never attempted. */
    public static final ContactAttempts NONE = new ContactAttempts(0, Map.of(), null, 0);

    public ContactAttempts {
        if (total < 0 || dayCount < 0) {
            throw new IllegalArgumentException("attempt counts " + total + "/" + dayCount + " are negative");
        }
        byRule = Map.copyOf(Objects.requireNonNull(byRule, "byRule"));
    }

    /** Attempts that matched {@code ruleKey}. */
    public int count(String ruleKey) {
        return byRule.getOrDefault(ruleKey, 0);
    }

    /** Attempts on the contact-local date {@code date}. */
    public int countOn(LocalDate date) {
        return date.equals(day) ? dayCount : 0;
    }

    /** This history plus one attempt that ended at {@code end} and matched {@code ruleKey}. */
    public ContactAttempts plus(String ruleKey, Instant end, ZoneId zone) {
        Map<String, Integer> m = new HashMap<>(byRule);
        m.merge(ruleKey, 1, Integer::sum);
        LocalDate d = end.atZone(zone).toLocalDate();
        return new ContactAttempts(total + 1, m, d, countOn(d) + 1);
    }

    /** Compact text form for storage: {@code NO_ANSWER=2;BUSY=1}. */
    public String encodeByRule() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(byRule).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Parses {@link #encodeByRule()}'s form. */
    public static Map<String, Integer> decodeByRule(String text) {
        Map<String, Integer> m = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return m;
        }
        for (String part : text.split(";")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("attempt counts \"" + text + "\" are not of the form KEY=n;KEY=n");
            }
            m.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
        }
        return m;
    }
}

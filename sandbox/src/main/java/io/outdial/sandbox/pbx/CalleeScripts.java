package io.outdial.sandbox.pbx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The called-party table: number pattern to {@link CalleeScript}. Rules registered by tests are tried first,
 * newest first; then the default table (see {@link #defaultTable()}). Safe to call from any thread.
 * <p>
 * {@code Local/<exten>@callee} endpoints use the reference dialplan for its extensions (100..130) and only the
 * rules registered here (not the default table) for other extensions; every other endpoint
 * ({@code PJSIP/<number>@<trunk>}, {@code SIP/}, {@code IAX2/}) resolves through registered rules, then the default table.
 */
public final class CalleeScripts {

    /** One rule: numbers matching {@code pattern} (a full-match regex) get {@code script}. */
    public record Rule(Pattern pattern, CalleeScript script) {
        public Rule {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(script, "script");
        }
    }

    private volatile List<Rule> registered = List.of();
    private volatile List<Rule> defaults;

    /** A table whose defaults are {@code defaults} (usually {@link #defaultTable()}). */
    public CalleeScripts(List<Rule> defaults) {
        this.defaults = List.copyOf(defaults);
    }

    /** Registers {@code script} for numbers fully matching the regex {@code numberRegex}; newest wins. */
    public synchronized CalleeScripts register(String numberRegex, CalleeScript script) {
        List<Rule> next = new ArrayList<>();
        next.add(new Rule(Pattern.compile(numberRegex), script));
        next.addAll(registered);
        registered = List.copyOf(next);
        return this;
    }

    /** Registers {@code script} for numbers starting with {@code prefix} (a literal, e.g. "+3361"). */
    public CalleeScripts registerPrefix(String prefix, CalleeScript script) {
        return register(Pattern.quote(prefix) + ".*", script);
    }

    /** Registers {@code script} for exactly {@code number}. */
    public CalleeScripts registerNumber(String number, CalleeScript script) {
        return register(Pattern.quote(number), script);
    }

    /** Removes the rules registered with {@link #registerNumber} for exactly {@code number}; true if one was. */
    public synchronized boolean unregisterNumber(String number) {
        String quoted = Pattern.quote(number);
        List<Rule> next = new ArrayList<>();
        for (Rule r : registered) {
            if (!r.pattern().pattern().equals(quoted)) {
                next.add(r);
            }
        }
        boolean removed = next.size() != registered.size();
        registered = List.copyOf(next);
        return removed;
    }

    /** Removes every registered rule (the default table stays). */
    public synchronized void clear() {
        registered = List.of();
    }

    /** Replaces the default table. */
    public synchronized void replaceDefaults(List<Rule> table) {
        defaults = List.copyOf(table);
    }

    /** The script for {@code number}: registered rules, then the default table. */
    public Optional<CalleeScript> resolve(String number) {
        return Optional.ofNullable(find(registered, number).orElseGet(() -> find(defaults, number).orElse(null)));
    }

    /** The script for {@code number} from registered rules only. */
    public Optional<CalleeScript> resolveRegistered(String number) {
        return find(registered, number);
    }

    private static Optional<CalleeScript> find(List<Rule> rules, String number) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(number).matches()) {
                return Optional.of(rule.script());
            }
        }
        return Optional.empty();
    }

    /**
     * The documented default table, chosen by the last digit of the number (docs/sandbox.md):
     * 0 answers after 2 s, presses 1 at 3 s, hangs up at 20 s; 1 answers after 1 s, presses 1 at 4 s, hangs up at 30 s;
     * 2 same with 2; 3 answers after 3 s, silent, hangs up at 8 s; 4 busy after 2 s (17); 5 no answer;
     * 6 congestion after 0.5 s (34); 7 answering machine (answers after 2 s, 6 s greeting, AMD MACHINE, hangs up at 30 s);
     * 8 invalid number (1); 9 rejected after 1 s (21). Numbers not ending in a digit: answer after 1 s, stay on the line.
     */
    public static List<Rule> defaultTable() {
        Map<String, CalleeScript> byDigit = Map.of(
            "0", CalleeScript.answerAfter(s(2)).withDigits(s(3), "1").withHangupAfter(s(20)),
            "1", CalleeScript.answerAfter(s(1)).withDigits(s(4), "1").withHangupAfter(s(30)),
            "2", CalleeScript.answerAfter(s(1)).withDigits(s(4), "2").withHangupAfter(s(30)),
            "3", CalleeScript.answerAfter(s(3)).withTalk(Duration.ZERO).withAmd(CalleeScript.Amd.SILENCE)
                .withHangupAfter(s(8)),
            "4", CalleeScript.busy(s(2)),
            "5", CalleeScript.noAnswer(),
            "6", CalleeScript.congestion(Duration.ofMillis(500)),
            "7", CalleeScript.machine(s(2)),
            "8", CalleeScript.invalidNumber(),
            "9", CalleeScript.rejected(s(1)));
        List<Rule> rules = new ArrayList<>();
        for (int d = 0; d <= 9; d++) {
            String digit = Integer.toString(d);
            rules.add(new Rule(Pattern.compile(".*" + digit), byDigit.get(digit)));
        }
        rules.add(new Rule(Pattern.compile(".*"), CalleeScript.answerAfter(s(1))));
        return List.copyOf(rules);
    }

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}

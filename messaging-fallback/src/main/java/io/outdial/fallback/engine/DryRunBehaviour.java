package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a simulated recipient behaves in a {@link CascadeDryRun}: what each channel reports for its sends, and what
 * the recipient replies, presses or triggers.
 *
 * @param name       shown with the path
 * @param outcomes   per channel, the outcome of its 1st, 2nd... send (the last one repeats); a channel not named
 *                   takes its default ({@link #defaultOutcome})
 * @param reply      a text replied to the first accepted message on a channel that takes replies, or null
 * @param replyAfter when the reply comes after that send (default 2 minutes)
 * @param dtmf       keys pressed, in order, during the first answered call, or null
 * @param ivrEvents  IVR {@code message} events raised during the first answered call
 * @param branches   split block id to the branch name this recipient must take
 */
public record DryRunBehaviour(String name, Map<ChannelType, List<Outcome>> outcomes, String reply,
                              Duration replyAfter, String dtmf, List<String> ivrEvents,
                              Map<String, String> branches) {

    /** Most behaviours in one dry run. */
    public static final int MAX_BEHAVIOURS = 50;
    /** Longest reply text. */
    public static final int MAX_REPLY = 1000;
    /** Most outcomes listed for one channel. */
    public static final int MAX_OUTCOMES = 20;

    private static final Set<String> KEYS = Set.of("name", "voice", "sms", "whatsapp", "viber", "webhook", "reply",
            "replyAfter", "dtmf", "ivrEvents", "branches");

    public DryRunBehaviour {
        outcomes = Map.copyOf(outcomes);
        ivrEvents = ivrEvents == null ? List.of() : List.copyOf(ivrEvents);
        branches = branches == null ? Map.of() : Map.copyOf(branches);
        replyAfter = replyAfter == null ? Duration.ofMinutes(2) : replyAfter;
    }

    /**
     * What one send on a channel ends as. Besides the statuses a channel reports ({@link ChannelType#statuses()})
     * there are: {@code SEND_FAILS} (the provider refuses the submit: the {@code error} link), {@code SILENT}
     * (accepted, then no report at all: the decision time runs out), {@code NEVER_READ} (chat: delivered, never
     * read), {@code NO_ACCOUNT} (Viber/WhatsApp: the number has no account, reported undelivered),
     * {@code NO_CONSENT} (WhatsApp: the recipient has no opt-in, nothing is sent).
     *
     * @param word     the word as written (upper case)
     * @param statuses the statuses reported after the send, in order
     * @param fails    the submit fails
     */
    public record Outcome(String word, List<Status> statuses, boolean fails) {

        /** The outcome for a word on a channel; IllegalArgumentException naming the allowed words otherwise. */
        public static Outcome parse(ChannelType channel, String raw) {
            String w = raw == null ? "" : raw.trim().toUpperCase(Locale.ROOT);
            switch (w) {
                case "SEND_FAILS":
                    return new Outcome(w, List.of(), true);
                case "SILENT":
                    return new Outcome(w, List.of(), false);
                case "NEVER_READ":
                    if (channel == ChannelType.VIBER || channel == ChannelType.WHATSAPP) {
                        return new Outcome(w, List.of(Status.SENT, Status.DELIVERED), false);
                    }
                    break;
                case "NO_ACCOUNT":
                    if (channel == ChannelType.VIBER || channel == ChannelType.WHATSAPP) {
                        return new Outcome(w, List.of(Status.SENT, Status.UNDELIVERED), false);
                    }
                    break;
                default:
                    Status st = Status.fromJson(w.toLowerCase(Locale.ROOT));
                    if (st != null && channel.statuses().contains(st)) {
                        if (st == Status.READ) {
                            return new Outcome(w, List.of(Status.SENT, Status.DELIVERED, Status.READ), false);
                        }
                        if (st == Status.DELIVERED && channel != ChannelType.SMS) {
                            return new Outcome(w, List.of(Status.SENT, Status.DELIVERED), false);
                        }
                        return new Outcome(w, List.of(st), false);
                    }
            }
            throw new IllegalArgumentException(channel.json() + " outcome \"" + raw + "\" is unknown; expected one of "
                    + words(channel));
        }

        /** True when the message will not reach the recipient. */
        public boolean undelivered() {
            return fails || statuses.stream().anyMatch(s -> s.undelivered() || s == Status.NO_CONSENT);
        }

        /** True for a call that a person answered. */
        public boolean answered() {
            return statuses.contains(Status.ANSWERED) || statuses.contains(Status.LEFT_EARLY);
        }
    }

    /** The words a channel's outcome may be. */
    public static List<String> words(ChannelType channel) {
        List<String> out = new ArrayList<>();
        channel.statuses().stream().sorted().forEach(s -> out.add(s.name()));
        out.add("SEND_FAILS");
        out.add("SILENT");
        if (channel == ChannelType.VIBER || channel == ChannelType.WHATSAPP) {
            out.add("NEVER_READ");
            out.add("NO_ACCOUNT");
        }
        return out;
    }

    /** The outcome of a channel's send when the behaviour names none: delivered, and an unanswered call. */
    public static String defaultOutcome(ChannelType channel) {
        return channel == ChannelType.VOICE ? "NO_ANSWER" : "DELIVERED";
    }

    /** The outcome of the {@code n}-th (from 0) send on a channel. */
    public Outcome outcome(ChannelType channel, int n) {
        List<Outcome> list = outcomes.get(channel);
        if (list == null || list.isEmpty()) {
            return Outcome.parse(channel, defaultOutcome(channel));
        }
        return list.get(Math.min(n, list.size() - 1));
    }

    /**
     * Reads a behaviour from its JSON form, e.g. {@code {"name": "busy then reads SMS", "voice": "BUSY",
     * "sms": "DELIVERED", "reply": "yes"}}; a channel's value is a word or a list of words (one per send).
     *
     * @throws IllegalArgumentException naming the key and what was expected
     */
    public static DryRunBehaviour fromMap(Map<?, ?> m) {
        for (Object k : m.keySet()) {
            if (!KEYS.contains(String.valueOf(k))) {
                throw new IllegalArgumentException("unknown key \"" + k + "\"; expected " + KEYS.stream().sorted()
                        .toList());
            }
        }
        String name = string(m, "name", 1, 100);
        if (name == null) {
            throw new IllegalArgumentException("name is required (1..100 characters)");
        }
        Map<ChannelType, List<Outcome>> outcomes = new EnumMap<>(ChannelType.class);
        for (ChannelType c : ChannelType.values()) {
            Object v = m.get(c.json());
            if (v == null) {
                continue;
            }
            List<?> raw = v instanceof List ? (List<?>) v : List.of(v);
            if (raw.isEmpty() || raw.size() > MAX_OUTCOMES) {
                throw new IllegalArgumentException(c.json() + " takes 1.." + MAX_OUTCOMES + " outcomes, got "
                        + raw.size());
            }
            List<Outcome> list = new ArrayList<>();
            for (Object o : raw) {
                if (!(o instanceof String)) {
                    throw new IllegalArgumentException(c.json() + " outcome " + o + " is not a word; expected one of "
                            + words(c));
                }
                list.add(Outcome.parse(c, (String) o));
            }
            outcomes.put(c, list);
        }
        String reply = string(m, "reply", 1, MAX_REPLY);
        Duration after = null;
        Object ra = m.get("replyAfter");
        if (ra != null) {
            try {
                after = Duration.parse(String.valueOf(ra));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("replyAfter \"" + ra + "\" is not an ISO-8601 duration like PT5M");
            }
            if (after.isNegative() || after.compareTo(Duration.ofDays(366)) > 0) {
                throw new IllegalArgumentException("replyAfter " + ra + " is out of range PT0S..P366D");
            }
        }
        String dtmf = string(m, "dtmf", 1, 20);
        if (dtmf != null && !dtmf.matches("[0-9*#]+")) {
            throw new IllegalArgumentException("dtmf \"" + dtmf + "\" must be keys 0-9, * and #");
        }
        List<String> events = new ArrayList<>();
        Object ev = m.get("ivrEvents");
        if (ev != null) {
            List<?> raw = ev instanceof List ? (List<?>) ev : List.of(ev);
            if (raw.size() > MAX_OUTCOMES) {
                throw new IllegalArgumentException("ivrEvents takes at most " + MAX_OUTCOMES + " events");
            }
            raw.forEach(o -> events.add(String.valueOf(o)));
        }
        Map<String, String> branches = new LinkedHashMap<>();
        Object br = m.get("branches");
        if (br != null) {
            if (!(br instanceof Map)) {
                throw new IllegalArgumentException("branches must be an object: split block id to branch name");
            }
            ((Map<?, ?>) br).forEach((k, v) -> branches.put(String.valueOf(k), String.valueOf(v)));
        }
        return new DryRunBehaviour(name, outcomes, reply, after, dtmf, events, branches);
    }

    private static String string(Map<?, ?> m, String key, int min, int max) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String) || ((String) v).length() < min || ((String) v).length() > max) {
            throw new IllegalArgumentException(key + " must be a text of " + min + ".." + max + " characters");
        }
        return (String) v;
    }
}

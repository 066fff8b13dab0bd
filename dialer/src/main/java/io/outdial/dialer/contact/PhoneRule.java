package io.outdial.dialer.contact;

import java.time.LocalTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Chooses which of a contact's numbers to dial: by the contact's local time of day (e.g. work 09-18,
 * mobile otherwise), moving on after {@code maxFailuresPerPhone} consecutive failures on one number.
 * Invalid numbers are never chosen. When every valid number reached the failure limit, the one with the
 * fewest failures is dialed again (the attempt caps end the contact, not this rule).
 */
public record PhoneRule(List<Slot> slots, int maxFailuresPerPhone) {

    /**
     * Preferred labels in order during {@code [from, to)} local time (may span midnight).
     */
    public record Slot(LocalTime from, LocalTime to, List<String> labels) {
        public Slot {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            labels = List.copyOf(labels);
        }

        boolean covers(LocalTime t) {
            return from.isBefore(to) ? !t.isBefore(from) && t.isBefore(to) : !t.isBefore(from) || t.isBefore(to);
        }
    }

    /** Column order, switching after 2 failures. */
    public static final PhoneRule DEFAULT = new PhoneRule(List.of(), 2);

    public PhoneRule {
        slots = List.copyOf(slots);
        if (maxFailuresPerPhone < 1) {
            throw new IllegalArgumentException("maxFailuresPerPhone " + maxFailuresPerPhone + " is below 1");
        }
    }

    /** Index of the number to dial at contact-local {@code time}, or empty when none is valid. */
    public Optional<Integer> choose(PhoneSet set, LocalTime time) {
        List<String> preferred = slots.stream().filter(s -> s.covers(time)).findFirst().map(Slot::labels)
                .orElse(List.of());
        Comparator<Integer> order = Comparator
                .comparingInt((Integer i) -> set.get(i).failures() >= maxFailuresPerPhone ? 1 : 0)
                .thenComparingInt(i -> set.get(i).failures() >= maxFailuresPerPhone ? set.get(i).failures() : 0)
                .thenComparingInt(i -> {
                    int rank = preferred.indexOf(set.get(i).label());
                    return rank < 0 ? Integer.MAX_VALUE : rank;
                })
                .thenComparingInt(i -> i);
        return IntStream.range(0, set.phones().size()).boxed().filter(i -> !set.get(i).invalid()).min(order);
    }
}

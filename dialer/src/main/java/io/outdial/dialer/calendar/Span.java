package io.outdial.dialer.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A half-open interval of instants {@code [from, to)}; helpers keep lists sorted and disjoint. */
record Span(Instant from, Instant to) {

    Span {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("span " + from + " .. " + to + " is empty");
        }
    }

    boolean contains(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** Sorts and merges touching or overlapping spans. */
    static List<Span> normalize(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(Span::from));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            if (!out.isEmpty() && !s.from().isAfter(out.get(out.size() - 1).to())) {
                Span last = out.remove(out.size() - 1);
                out.add(new Span(last.from(), max(last.to(), s.to())));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** Intersection of two normalized lists. */
    static List<Span> intersect(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            Instant from = max(a.get(i).from(), b.get(j).from());
            Instant to = min(a.get(i).to(), b.get(j).to());
            if (to.isAfter(from)) {
                out.add(new Span(from, to));
            }
            if (a.get(i).to().isBefore(b.get(j).to())) {
                i++;
            } else {
                j++;
            }
        }
        return out;
    }

    /** {@code a} minus {@code b}, both normalized. */
    static List<Span> subtract(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>();
        for (Span s : a) {
            Instant cursor = s.from();
            for (Span cut : b) {
                if (!cut.to().isAfter(cursor) || !cut.from().isBefore(s.to())) {
                    continue;
                }
                if (cut.from().isAfter(cursor)) {
                    out.add(new Span(cursor, cut.from()));
                }
                cursor = max(cursor, cut.to());
            }
            if (s.to().isAfter(cursor)) {
                out.add(new Span(cursor, s.to()));
            }
        }
        return out;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

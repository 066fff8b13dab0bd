package io.outdial.dialer.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When contacts may be called, in each contact's local time.
 *
 * <p>Semantics (see docs/campaigns.md): a day's windows are the exception entry for that date if one exists
 * (an empty list closes the day), else the weekly windows of its weekday; days before {@code startDate} or
 * after {@code endDate} have no windows; the global {@code quietHours} window is then cut out of every day.
 * A local window maps to instants as follows: a boundary inside a spring-forward gap resolves to the moment
 * of the jump; a start inside a fall-back overlap takes the earlier offset and an end the later one, so the
 * window covers every instant whose wall time it names. For several zones the calendar is open only when it
 * is open in all of them (the intersection).
 *
 * <p>Pure and immutable: all queries take the instant; the caller supplies it from its {@link java.time.Clock}.
 */
public record CallingCalendar(
        Map<DayOfWeek, List<DailyWindow>> weekly,
        Map<LocalDate, List<DailyWindow>> exceptions,
        LocalDate startDate,
        LocalDate endDate,
        DailyWindow quietHours) {

    /** How far ahead {@link #nextOpen} looks before it gives up. */
    public static final Duration HORIZON = Duration.ofDays(400);
    private static final Duration CHUNK = Duration.ofDays(7);

    public CallingCalendar {
        EnumMap<DayOfWeek, List<DailyWindow>> w = new EnumMap<>(DayOfWeek.class);
        Objects.requireNonNull(weekly, "weekly").forEach((d, l) -> w.put(d, List.copyOf(l)));
        weekly = Map.copyOf(w);
        exceptions = Map.copyOf(Objects.requireNonNull(exceptions, "exceptions"));
        exceptions.values().forEach(l -> Objects.requireNonNull(l, "exception windows"));
        if (startDate != null && endDate != null && endDate.isBefore(startDate)) {
            throw new IllegalArgumentException("calendar endDate " + endDate + " is before startDate " + startDate);
        }
    }

    /** A calendar open at all times (no windows, dates or quiet hours limit it). */
    public static CallingCalendar alwaysOpen() {
        return builder().everyDay(DailyWindow.ALL_DAY).build();
    }

    /** A fluent builder; see {@link CalendarBuilder}. */
    public static CalendarBuilder builder() {
        return new CalendarBuilder();
    }

    /** True when {@code t} is inside the calendar in every zone of {@code zones}. */
    public boolean isOpen(Instant t, Collection<ZoneId> zones) {
        return spans(t.minus(Duration.ofDays(1)), t.plus(Duration.ofDays(1)), zones).stream()
                .anyMatch(s -> s.contains(t));
    }

    /**
     * The earliest instant at or after {@code from} when the calendar is open in all zones; empty when
     * nothing opens within {@link #HORIZON} or before the end date.
     */
    public Optional<Instant> nextOpen(Instant from, Collection<ZoneId> zones) {
        Instant limit = from.plus(HORIZON);
        if (endDate != null) {
            Instant afterEnd = endDate.plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant();
            limit = Span.min(limit, Span.max(afterEnd, from));
        }
        for (Instant region = from; region.isBefore(limit); region = region.plus(CHUNK)) {
            for (Span s : spans(region, region.plus(CHUNK), zones)) {
                if (s.to().isAfter(from)) {
                    return Optional.of(Span.max(s.from(), from));
                }
            }
        }
        return Optional.empty();
    }

    /** The time to use for something wanted at {@code wanted}: itself if open, else the next opening. */
    public Optional<Instant> clamp(Instant wanted, Collection<ZoneId> zones) {
        return nextOpen(wanted, zones);
    }

    /**
     * When the open period containing {@code t} ends; empty when the calendar is closed at {@code t}. A
     * period that does not end within {@link #HORIZON} reports the horizon.
     */
    public Optional<Instant> closesAt(Instant t, Collection<ZoneId> zones) {
        if (!isOpen(t, zones)) {
            return Optional.empty();
        }
        Instant cursor = t;
        Instant limit = t.plus(HORIZON);
        while (cursor.isBefore(limit)) {
            Instant regionEnd = cursor.plus(CHUNK);
            List<Span> spans = spans(cursor, regionEnd, zones);
            if (spans.isEmpty() || spans.get(0).from().isAfter(cursor)) {
                return Optional.of(cursor);
            }
            if (spans.get(0).to().isBefore(regionEnd)) {
                return Optional.of(spans.get(0).to());
            }
            cursor = regionEnd;
        }
        return Optional.of(limit);
    }

    /** Open spans within {@code [from, to)}, intersected over the zones, sorted and disjoint. */
    List<Span> spans(Instant from, Instant to, Collection<ZoneId> zones) {
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("calendar query needs at least one time zone, got none");
        }
        List<Span> result = List.of(new Span(from, to));
        for (ZoneId zone : zones) {
            result = Span.intersect(result, zoneSpans(zone, from, to));
        }
        return result;
    }

    private List<Span> zoneSpans(ZoneId zone, Instant from, Instant to) {
        LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
        LocalDate last = to.atZone(zone).toLocalDate();
        List<Span> open = new ArrayList<>();
        List<Span> quiet = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (DailyWindow w : windowsOn(d)) {
                addSpan(open, d, w, zone);
            }
            if (quietHours != null) {
                addSpan(quiet, d, quietHours, zone);
            }
        }
        return Span.subtract(Span.normalize(open), Span.normalize(quiet));
    }

    /** The local windows that apply on {@code date} before quiet hours are cut out. */
    public List<DailyWindow> windowsOn(LocalDate date) {
        if ((startDate != null && date.isBefore(startDate)) || (endDate != null && date.isAfter(endDate))) {
            return List.of();
        }
        List<DailyWindow> special = exceptions.get(date);
        return special != null ? special : weekly.getOrDefault(date.getDayOfWeek(), List.of());
    }

    private static void addSpan(List<Span> out, LocalDate date, DailyWindow w, ZoneId zone) {
        Instant start = resolve(LocalDateTime.of(date, w.start()), zone, false);
        LocalDate endDay = w.spansMidnight() ? date.plusDays(1) : date;
        Instant end = resolve(LocalDateTime.of(endDay, w.end()), zone, true);
        if (end.isAfter(start)) {
            out.add(new Span(start, end));
        }
    }

    /** Maps a wall time to an instant: gap to the jump, overlap to the earlier (start) or later (end) offset. */
    static Instant resolve(LocalDateTime local, ZoneId zone, boolean isEnd) {
        ZoneOffsetTransition tr = zone.getRules().getTransition(local);
        if (tr == null) {
            return local.atZone(zone).toInstant();
        }
        if (tr.isGap()) {
            return tr.getInstant();
        }
        return ZonedDateTime.ofLocal(local, zone, isEnd ? tr.getOffsetAfter() : tr.getOffsetBefore()).toInstant();
    }

    /** Convenience for the common single-zone case. */
    public boolean isOpen(Instant t, ZoneId zone) {
        return isOpen(t, List.of(zone));
    }
}

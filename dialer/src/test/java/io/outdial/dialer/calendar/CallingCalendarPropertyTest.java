package io.outdial.dialer.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** nextOpen is open and nothing opens strictly before it, checked minute by minute over a bounded horizon. */
class CallingCalendarPropertyTest {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("America/New_York"), ZoneId.of("Europe/Kyiv"),
            ZoneId.of("America/Denver"), ZoneId.of("America/North_Dakota/Center"), ZoneId.of("Asia/Kolkata"),
            ZoneId.of("Australia/Lord_Howe"));
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    @Property(tries = 60)
    void nextOpenIsOpenAndNothingEarlierIs(@ForAll("calendars") CallingCalendar cal,
                                          @ForAll("zoneSets") List<ZoneId> zones,
                                          @ForAll("starts") Instant from) {
        Optional<Instant> next = cal.nextOpen(from, zones);
        Instant horizon = from.plus(Duration.ofDays(3));
        Instant end = next.map(n -> n.isBefore(horizon) ? n : horizon).orElse(horizon);
        for (Instant t = from; t.isBefore(end); t = t.plus(1, ChronoUnit.MINUTES)) {
            assertThat(cal.isOpen(t, zones)).as("open at %s before nextOpen %s", t, next).isFalse();
        }
        next.ifPresent(n -> {
            assertThat(n).isAfterOrEqualTo(from);
            assertThat(cal.isOpen(n, zones)).as("nextOpen %s is open", n).isTrue();
            assertThat(cal.closesAt(n, zones).orElseThrow()).isAfter(n);
        });
    }

    @Provide
    Arbitrary<Instant> starts() {
        // around DST changes in March/April and October/November, minute-aligned
        return Arbitraries.of(60L, 66L, 84L, 87L, 297L, 300L, 304L, 307L)
                .flatMap(day -> Arbitraries.longs().between(0, 2 * 24 * 60)
                        .map(min -> BASE.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(min))));
    }

    @Provide
    Arbitrary<List<ZoneId>> zoneSets() {
        return Arbitraries.of(ZONES).list().ofMinSize(1).ofMaxSize(2).uniqueElements();
    }

    @Provide
    Arbitrary<CallingCalendar> calendars() {
        Arbitrary<DailyWindow> window = Combinators.combine(
                Arbitraries.integers().between(0, 47), Arbitraries.integers().between(0, 47))
                .as((a, b) -> new DailyWindow(LocalTime.of(a / 2, a % 2 * 30), LocalTime.of(b / 2, b % 2 * 30)));
        Arbitrary<List<DailyWindow>> day = window.list().ofMaxSize(3);
        Arbitrary<Optional<DailyWindow>> quiet = window.optional(0.3);
        Arbitrary<List<LocalDate>> holidays = Arbitraries.longs().between(55, 310)
                .map(d -> LocalDate.of(2026, 1, 1).plusDays(d)).list().ofMaxSize(20);
        return Combinators.combine(day.list().ofSize(7), quiet, holidays).as((days, q, hol) -> {
            CalendarBuilder b = CallingCalendar.builder();
            for (int i = 0; i < 7; i++) {
                for (DailyWindow w : days.get(i)) {
                    b.on(DayOfWeek.of(i + 1), w);
                }
            }
            q.ifPresent(w -> b.quietHours(w.toString()));
            hol.forEach(b::closedOn);
            return b.build();
        });
    }
}

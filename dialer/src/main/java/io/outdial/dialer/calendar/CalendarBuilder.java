package io.outdial.dialer.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link CallingCalendar}; windows are given as {@code "HH:mm-HH:mm"} or {@link DailyWindow}s. */
public final class CalendarBuilder {
    private final Map<DayOfWeek, List<DailyWindow>> weekly = new EnumMap<>(DayOfWeek.class);
    private final Map<LocalDate, List<DailyWindow>> exceptions = new HashMap<>();
    private LocalDate startDate;
    private LocalDate endDate;
    private DailyWindow quietHours;

    CalendarBuilder() { }

    /** Adds windows to one weekday (several calls add more windows). */
    public CalendarBuilder on(DayOfWeek day, String... windows) {
        Arrays.stream(windows).map(DailyWindow::parse).forEach(w -> on(day, w));
        return this;
    }

    public CalendarBuilder on(DayOfWeek day, DailyWindow window) {
        weekly.computeIfAbsent(day, d -> new ArrayList<>()).add(window);
        return this;
    }

    /** Adds windows to Monday to Friday. */
    public CalendarBuilder weekdays(String... windows) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY) {
                on(d, windows);
            }
        }
        return this;
    }

    public CalendarBuilder everyDay(DailyWindow window) {
        for (DayOfWeek d : DayOfWeek.values()) {
            on(d, window);
        }
        return this;
    }

    public CalendarBuilder everyDay(String... windows) {
        for (DayOfWeek d : DayOfWeek.values()) {
            on(d, windows);
        }
        return this;
    }

    /** A holiday: closed all day. */
    public CalendarBuilder closedOn(LocalDate date) {
        exceptions.put(date, List.of());
        return this;
    }

    /** An exception date with its own hours replacing the weekday's. */
    public CalendarBuilder specialHours(LocalDate date, String... windows) {
        exceptions.put(date, Arrays.stream(windows).map(DailyWindow::parse).toList());
        return this;
    }

    public CalendarBuilder startDate(LocalDate date) {
        this.startDate = date;
        return this;
    }

    public CalendarBuilder endDate(LocalDate date) {
        this.endDate = date;
        return this;
    }

    /** The global quiet-hours window, closed on every day whatever the other windows say. */
    public CalendarBuilder quietHours(String window) {
        this.quietHours = DailyWindow.parse(window);
        return this;
    }

    public CallingCalendar build() {
        return new CallingCalendar(weekly, exceptions, startDate, endDate, quietHours);
    }
}

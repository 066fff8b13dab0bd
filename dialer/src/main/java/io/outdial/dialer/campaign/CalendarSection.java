package io.outdial.dialer.campaign;

import io.outdial.dialer.calendar.CalendarBuilder;
import io.outdial.dialer.calendar.CallingCalendar;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/**
 * The {@code calendar} section of a campaign definition: calling windows ({@code "09:00-18:00"}, one or a list)
 * every day, on weekdays or on a named day, closed dates, quiet hours and a date range. The
 * {@link CallingCalendar} it makes checks the windows and dates.
 */
record CalendarSection(List<String> everyDay, List<String> weekdays, List<String> monday, List<String> tuesday,
                       List<String> wednesday, List<String> thursday, List<String> friday, List<String> saturday,
                       List<String> sunday, List<String> closed, String quietHours, String startDate,
                       String endDate) {
    /** No calendar given: any time of any day. */
    static final CalendarSection ALWAYS = new CalendarSection(List.of("00:00-24:00"), null, null, null, null, null,
        null, null, null, null, null, null, null);

    CalendarSection {
        build(everyDay, weekdays, days(monday, tuesday, wednesday, thursday, friday, saturday, sunday), closed,
            quietHours, startDate, endDate); // CallingCalendar's own checks: a refusal names this section
    }

    CallingCalendar calendar() {
        return build(everyDay, weekdays, days(monday, tuesday, wednesday, thursday, friday, saturday, sunday),
            closed, quietHours, startDate, endDate);
    }

    /** Monday first; an absent day is null. */
    @SafeVarargs
    private static List<List<String>> days(List<String>... days) {
        return java.util.Arrays.asList(days);
    }

    private static CallingCalendar build(List<String> everyDay, List<String> weekdays, List<List<String>> days,
                                         List<String> closed, String quietHours, String startDate, String endDate) {
        CalendarBuilder b = CallingCalendar.builder();
        if (everyDay != null) {
            b.everyDay(everyDay.toArray(new String[0]));
        }
        if (weekdays != null) {
            b.weekdays(weekdays.toArray(new String[0]));
        }
        for (DayOfWeek d : DayOfWeek.values()) {
            if (days.get(d.ordinal()) != null) {
                b.on(d, days.get(d.ordinal()).toArray(new String[0]));
            }
        }
        for (String date : closed == null ? List.<String>of() : closed) {
            b.closedOn(LocalDate.parse(date));
        }
        if (quietHours != null) {
            b.quietHours(quietHours);
        }
        if (startDate != null) {
            b.startDate(LocalDate.parse(startDate));
        }
        if (endDate != null) {
            b.endDate(LocalDate.parse(endDate));
        }
        return b.build();
    }
}

package io.outdial.dialer.calendar;

import java.time.LocalTime;
import java.util.Objects;

/**
 * One opening interval of a day in local wall-clock time, {@code [start, end)}.
 *
 * <p>An {@code end} that is not after {@code start} means the window runs past midnight and ends on the
 * next day at {@code end} (22:00-02:00). {@code start == end} is a full 24-hour window. The window belongs
 * to the date it starts on: a Friday 22:00-02:00 window is open until Saturday 02:00 even if Saturday is
 * closed.
 */
record DailyWindow(LocalTime start, LocalTime end) {

    /** A window open the whole day. */
    public static final DailyWindow ALL_DAY = new DailyWindow(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public DailyWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }

    /**
     * Parses {@code "HH:mm-HH:mm"}; {@code 24:00} is accepted as an end meaning midnight.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static DailyWindow parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("calendar window \"" + text + "\" is not of the form HH:mm-HH:mm");
        }
        try {
            LocalTime start = LocalTime.parse(parts[0].trim());
            String e = parts[1].trim();
            LocalTime end = "24:00".equals(e) ? LocalTime.MIDNIGHT : LocalTime.parse(e);
            return new DailyWindow(start, end);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("calendar window \"" + text + "\" is not of the form HH:mm-HH:mm", ex);
        }
    }

    /** True when the window ends on the day after it starts. */
    public boolean spansMidnight() {
        return !end.isAfter(start);
    }

    @Override
    public String toString() {
        return start + "-" + (end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString());
    }
}

package io.outdial.dialer.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallingCalendarTest {
    private static final ZoneId NY = ZoneId.of("America/New_York");
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");

    private static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    @Test
    void weekdayWindowsOpenAndCloseInTheContactZone() {
        CallingCalendar cal = CallingCalendar.builder().weekdays("09:00-12:00", "13:00-18:00").build();
        // 2026-11-23 is a Monday
        assertThat(cal.isOpen(at("2026-11-23T09:00", KYIV), KYIV)).isTrue();
        assertThat(cal.isOpen(at("2026-11-23T08:59:59", KYIV), KYIV)).isFalse();
        assertThat(cal.isOpen(at("2026-11-23T12:30", KYIV), KYIV)).isFalse();
        assertThat(cal.nextOpen(at("2026-11-23T12:30", KYIV), List.of(KYIV))).contains(at("2026-11-23T13:00", KYIV));
        assertThat(cal.closesAt(at("2026-11-23T14:00", KYIV), List.of(KYIV))).contains(at("2026-11-23T18:00", KYIV));
        assertThat(cal.nextOpen(at("2026-11-27T18:00", KYIV), List.of(KYIV)))
                .as("Friday evening jumps to Monday").contains(at("2026-11-30T09:00", KYIV));
        // the same instant is closed in New York (02:00 there)
        assertThat(cal.isOpen(at("2026-11-23T09:00", KYIV), NY)).isFalse();
    }

    @Test
    void midnightSpanningWindowBelongsToItsStartDay() {
        CallingCalendar cal = CallingCalendar.builder().on(DayOfWeek.FRIDAY, "22:00-02:00").build();
        assertThat(cal.isOpen(at("2026-11-27T23:30", KYIV), KYIV)).isTrue();
        assertThat(cal.isOpen(at("2026-11-28T01:59", KYIV), KYIV)).as("Saturday early hours").isTrue();
        assertThat(cal.isOpen(at("2026-11-28T02:00", KYIV), KYIV)).isFalse();
        assertThat(cal.isOpen(at("2026-11-28T23:00", KYIV), KYIV)).isFalse();
        assertThat(cal.closesAt(at("2026-11-27T23:00", KYIV), List.of(KYIV))).contains(at("2026-11-28T02:00", KYIV));
    }

    @Test
    void adjacentWindowsAcrossMidnightCloseOnlyAtTheRealEnd() {
        CallingCalendar cal = CallingCalendar.builder().on(DayOfWeek.MONDAY, "20:00-24:00")
                .on(DayOfWeek.TUESDAY, "00:00-03:00").build();
        assertThat(cal.closesAt(at("2026-11-23T21:00", KYIV), List.of(KYIV))).contains(at("2026-11-24T03:00", KYIV));
    }

    @Test
    void springForwardGapShortensTheWindowAndStartsAtTheJump() {
        // New York jumps from 02:00 to 03:00 on 2026-03-08
        CallingCalendar cal = CallingCalendar.builder().everyDay("01:00-04:00").build();
        Instant opens = at("2026-03-08T01:00", NY);
        assertThat(cal.closesAt(opens, List.of(NY))).contains(opens.plus(Duration.ofHours(2)));
        CallingCalendar gapStart = CallingCalendar.builder().everyDay("02:30-05:00").build();
        assertThat(gapStart.nextOpen(at("2026-03-08T00:00", NY), List.of(NY)))
                .as("a start inside the gap opens at the jump, 03:00 EDT")
                .contains(ZonedDateTime.of(2026, 3, 8, 3, 0, 0, 0, NY).toInstant());
    }

    @Test
    void fallBackOverlapLengthensTheWindowToCoverBothOccurrences() {
        // Kyiv goes from 04:00 back to 03:00 on 2026-10-25
        CallingCalendar cal = CallingCalendar.builder().everyDay("02:00-05:00").build();
        Instant opens = at("2026-10-25T02:00", KYIV);
        assertThat(cal.closesAt(opens, List.of(KYIV))).contains(opens.plus(Duration.ofHours(4)));
        CallingCalendar endsInOverlap = CallingCalendar.builder().everyDay("00:00-03:30").build();
        Instant secondThreeFifteen = ZonedDateTime.of(LocalDateTime.parse("2026-10-25T03:15"), KYIV)
                .withLaterOffsetAtOverlap().toInstant();
        assertThat(endsInOverlap.isOpen(secondThreeFifteen, KYIV)).as("03:15 after the fall-back is still before 03:30")
                .isTrue();
    }

    @Test
    void ordinaryWindowKeepsLocalHoursAcrossDstChange() {
        CallingCalendar cal = CallingCalendar.builder().everyDay("09:00-17:00").build();
        assertThat(cal.nextOpen(at("2026-03-07T18:00", NY), List.of(NY))).contains(at("2026-03-08T09:00", NY));
        assertThat(cal.closesAt(at("2026-11-01T09:00", NY), List.of(NY)))
                .contains(at("2026-11-01T09:00", NY).plus(Duration.ofHours(8)));
    }

    @Test
    void holidayClosesTheDayAndSpecialHoursReplaceTheWeekday() {
        CallingCalendar cal = CallingCalendar.builder().weekdays("09:00-18:00")
                .closedOn(LocalDate.parse("2026-12-25"))
                .specialHours(LocalDate.parse("2026-12-24"), "10:00-13:00")
                .specialHours(LocalDate.parse("2026-12-26"), "10:00-12:00")
                .build();
        assertThat(cal.isOpen(at("2026-12-24T09:30", KYIV), KYIV)).isFalse();
        assertThat(cal.closesAt(at("2026-12-24T10:00", KYIV), List.of(KYIV))).contains(at("2026-12-24T13:00", KYIV));
        assertThat(cal.nextOpen(at("2026-12-24T13:00", KYIV), List.of(KYIV)))
                .as("Christmas closed; a Saturday opened by exception").contains(at("2026-12-26T10:00", KYIV));
    }

    @Test
    void startAndEndDatesBoundTheCalendar() {
        CallingCalendar cal = CallingCalendar.builder().everyDay("09:00-18:00")
                .startDate(LocalDate.parse("2026-12-01")).endDate(LocalDate.parse("2026-12-03")).build();
        assertThat(cal.nextOpen(at("2026-11-23T12:00", KYIV), List.of(KYIV))).contains(at("2026-12-01T09:00", KYIV));
        assertThat(cal.isOpen(at("2026-12-03T17:59", KYIV), KYIV)).isTrue();
        assertThat(cal.nextOpen(at("2026-12-03T18:00", KYIV), List.of(KYIV))).isEmpty();
        assertThat(cal.clamp(at("2027-01-01T12:00", KYIV), List.of(KYIV))).isEmpty();
    }

    @Test
    void quietHoursWinOverOpeningWindows() {
        CallingCalendar cal = CallingCalendar.builder().everyDay("00:00-24:00").quietHours("21:00-08:00").build();
        assertThat(cal.isOpen(at("2026-11-23T20:59", KYIV), KYIV)).isTrue();
        assertThat(cal.isOpen(at("2026-11-23T21:00", KYIV), KYIV)).isFalse();
        assertThat(cal.isOpen(at("2026-11-24T07:59", KYIV), KYIV)).isFalse();
        assertThat(cal.nextOpen(at("2026-11-23T22:00", KYIV), List.of(KYIV))).contains(at("2026-11-24T08:00", KYIV));
    }

    @Test
    void severalZonesGetTheIntersectionOfTheirWindows() {
        ZoneId denver = ZoneId.of("America/Denver");
        ZoneId central = ZoneId.of("America/North_Dakota/Center");
        List<ZoneId> zones = new ContactZones(KYIV).zonesFor(null, "+16055550123");
        assertThat(zones).containsExactlyInAnyOrder(denver, central);
        CallingCalendar cal = CallingCalendar.builder().everyDay("09:00-17:00").build();
        // Central is one hour ahead of Mountain: open from 09:00 Mountain to 17:00 Central (16:00 Mountain)
        assertThat(cal.isOpen(at("2026-11-23T08:30", denver), zones)).isFalse();
        assertThat(cal.nextOpen(at("2026-11-23T07:00", denver), zones)).contains(at("2026-11-23T09:00", denver));
        assertThat(cal.closesAt(at("2026-11-23T10:00", denver), zones)).contains(at("2026-11-23T16:00", denver));
    }

    @Test
    void zoneColumnWinsOverTheNumberAndUnknownNumbersUseTheFallback() {
        ContactZones zones = new ContactZones(KYIV);
        assertThat(zones.zonesFor("Europe/Berlin", "+12125550123")).containsExactly(ZoneId.of("Europe/Berlin"));
        assertThat(zones.zonesFor(null, "+12125550123")).containsExactly(NY);
        assertThat(zones.zonesFor(" ", null)).containsExactly(KYIV);
        assertThatThrownBy(() -> zones.zonesFor("Mars/Olympus", null))
                .hasMessageContaining("\"Mars/Olympus\"").hasMessageContaining("IANA");
    }

    @Test
    void badWindowTextNamesTheValue() {
        assertThatThrownBy(() -> DailyWindow.parse("9-17")).hasMessageContaining("\"9-17\"")
                .hasMessageContaining("HH:mm-HH:mm");
    }

    @Test
    void emptyCalendarNeverOpens() {
        CallingCalendar cal = CallingCalendar.builder().build();
        assertThat(cal.nextOpen(Instant.parse("2026-11-23T00:00:00Z"), List.of(KYIV))).isEmpty();
    }
}

package io.outdial.bench.campaign;

import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.pacing.SlidingWindowRateLimiter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-contact costs on the scheduler's pick path: calendar checks in one and two zones and a rate-limit
 * token, against a baseline (converting the instant to the zone's local date-time).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CalendarBenchmark {
    private static final ZoneId KYIV = ZoneId.of("Europe/Kyiv");
    private final CallingCalendar calendar = CallingCalendar.builder().weekdays("09:00-13:00", "14:00-20:00")
            .closedOn(LocalDate.parse("2026-12-25")).quietHours("21:00-08:00").build();
    private final List<ZoneId> one = List.of(KYIV);
    private final List<ZoneId> two = List.of(ZoneId.of("America/Denver"), ZoneId.of("America/North_Dakota/Center"));
    private final SlidingWindowRateLimiter limiter = new SlidingWindowRateLimiter(
            new RateLimits(new RateLimit(1_000_000, 0), Map.of(), Map.of()));
    private final List<LimitKey> levels = LimitKey.levelsFor("c1", "t1");
    private Instant t = Instant.parse("2026-11-23T12:00:00Z");

    @Benchmark
    public Object baselineLocalDateTime() {
        t = t.plusSeconds(7);
        return t.atZone(KYIV).toLocalDateTime();
    }

    @Benchmark
    public boolean isOpenOneZone() {
        t = t.plusSeconds(7);
        return calendar.isOpen(t, one);
    }

    @Benchmark
    public boolean isOpenTwoZones() {
        t = t.plusSeconds(7);
        return calendar.isOpen(t, two);
    }

    @Benchmark
    public Object nextOpenOneZone() {
        t = t.plusSeconds(7);
        return calendar.nextOpen(t, one);
    }

    @Benchmark
    public Object rateToken() {
        t = t.plusNanos(1_000);
        return limiter.tryAcquire(levels, t);
    }
}

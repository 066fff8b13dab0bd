package io.outdial.dialer.dialing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The runner's time: a {@link Clock} whose virtual time may run {@code scale} times faster than real time
 * (tests and the sandbox use the same scale), and which may jump forward over idle periods (tests only:
 * when nothing is live, waiting for tomorrow's calendar opening takes no real time).
 */
final class RunnerClock extends Clock {
    private final Clock base;
    private final Instant start;
    private final long realStartNanos;
    private final double scale;
    private final boolean jumpWhenIdle;
    private volatile long offsetMillis;

    private RunnerClock(Clock base, Instant start, double scale, boolean jumpWhenIdle) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("runner clock scale " + scale + " must be a positive finite number");
        }
        this.base = base;
        this.start = start;
        this.realStartNanos = System.nanoTime();
        this.scale = scale;
        this.jumpWhenIdle = jumpWhenIdle;
    }

    /** The node's time {@code base}, no jumps. */
    public static RunnerClock real(Clock base) {
        return new RunnerClock(Objects.requireNonNull(base, "base"), null, 1.0, false);
    }

    /** Virtual time from {@code start}, {@code scale} times faster than real time, jumping over idle waits. */
    public static RunnerClock virtual(Instant start, double scale) {
        return new RunnerClock(null, start, scale, true);
    }

    @Override
    public Instant instant() {
        if (base != null) {
            return base.instant().plusMillis(offsetMillis);
        }
        // elapsed real time (System.nanoTime) scaled: virtual time, not a reading of the wall clock
        long virtualMillis = (long) ((System.nanoTime() - realStartNanos) / 1_000_000.0 * scale);
        return start.plusMillis(virtualMillis + offsetMillis);
    }

    /** Real milliseconds until virtual instant {@code at} (at least 1). */
    public long realDelayMillis(Instant at) {
        long virtual = Duration.between(instant(), at).toMillis();
        return Math.max(1L, Math.round(virtual / scale));
    }

    /** Whether idle waits may be skipped by {@link #jumpTo}. */
    public boolean jumpsWhenIdle() {
        return jumpWhenIdle;
    }

    /** Moves virtual time forward to {@code at} (never backwards). */
    public synchronized void jumpTo(Instant at) {
        long ahead = Duration.between(instant(), at).toMillis();
        if (ahead > 0) {
            offsetMillis += ahead;
        }
    }

    public double scale() {
        return scale;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

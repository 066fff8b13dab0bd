package io.outdial.dialer.pacing;

import java.time.Clock;

/** Pacers for tests that put their own rate limiter between the runner and its originates. */
public final class TestPacers {
    private TestPacers() {
    }

    /** A node alone's pacer (its leases in memory) whose rate tokens come from {@code rates}. */
    public static Pacer withRates(LineLimits lines, RateLimiter rates, Clock clock) {
        return new Pacer(new LocalLineLeases(lines, clock), rates);
    }
}

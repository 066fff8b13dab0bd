package io.outdial.dialer.pacing;

import java.time.Clock;
import java.util.Objects;

/**
 * Where the line leases and rate windows of a node live: in the node ({@link #local}, a node alone: nothing else
 * can count against its limits) or in the cluster (every node counts against the same global, trunk and campaign
 * limits; the implementation lives in {@code io.outdial.dialer.cluster}).
 */
public interface PacingBackend {

    /** The line leases, starting with {@code limits}. */
    LimitedLines lines(LineLimits limits);

    /** The rate limiter, starting with {@code limits}. */
    LimitedRates rates(RateLimits limits);

    /** In-memory leases and windows of one node. */
    static PacingBackend local(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return new PacingBackend() {
            @Override
            public LimitedLines lines(LineLimits limits) {
                return new LocalLineLeases(limits, clock);
            }

            @Override
            public LimitedRates rates(RateLimits limits) {
                return SlidingWindowRateLimiter.atSend(limits);
            }
        };
    }
}

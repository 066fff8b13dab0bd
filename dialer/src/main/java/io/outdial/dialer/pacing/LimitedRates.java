package io.outdial.dialer.pacing;

/** A {@link RateLimiter} whose limits change while calls are live ({@link NodeLimits} sets them). */
public interface LimitedRates extends RateLimiter {

    /** Replaces the limits; windows already counted are kept. */
    void setLimits(RateLimits limits);
}

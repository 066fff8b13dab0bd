package io.outdial.dialer.pacing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Grants call starts under per-second and per-minute limits at several levels at once (all or nothing).
 * Sliding windows: no 1-second or 60-second window, aligned or not, holds more starts than the limit.
 */
public interface RateLimiter {

    /** The answer to one request. */
    record Decision(boolean granted, Optional<LimitKey> blockedBy, Instant retryAt) {
        static Decision grant(Instant now) {
            return new Decision(true, Optional.empty(), now);
        }
    }

    /** Takes one token at every level, or none and says which level blocked and when to retry. */
    Decision tryAcquire(List<LimitKey> levels, Instant now);
}

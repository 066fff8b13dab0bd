package io.outdial.dialer.pacing;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Leases lines under the global, trunk and campaign limits. Implementations: {@link LocalLineLeases}
 * (one node); a Hazelcast one for the cluster (entry processors incrementing below the cap plus TTL'd
 * per-lease entries the owner heartbeats). Thread-safe; never blocks on I/O in the local case. An event loop asks
 * through {@link #acquire} and {@link #adoptLive}, which never block: a cluster's answer takes a round trip per level.
 */
interface LineLeases {

    /** A lease if every level has a free line, else empty (nothing is held then). */
    Optional<Lease> tryAcquire(String campaign, String trunk);

    /**
     * A lease for a call that is already live (re-attached after a restart): counted at every level even above a
     * limit, because a limit never cuts a live call; new leases wait until usage is below the limits again.
     */
    Lease adopt(String campaign, String trunk);

    /**
     * {@link #tryAcquire} without blocking the calling thread: completes (on any thread) once every level answered.
     * The limits hold as in {@link #tryAcquire}.
     */
    default CompletionStage<Optional<Lease>> acquire(String campaign, String trunk) {
        return CompletableFuture.completedFuture(tryAcquire(campaign, trunk));
    }

    /** {@link #adopt} without blocking the calling thread: completes (on any thread) once every level counted it. */
    default CompletionStage<Lease> adoptLive(String campaign, String trunk) {
        return CompletableFuture.completedFuture(adopt(campaign, trunk));
    }

    /** Frees the lease's line at every level; releasing twice is harmless. */
    void release(Lease lease);

    /** Usage at one level. */
    LineUsage usage(LimitKey key);

    /** The first full level a new call of {@code campaign} on {@code trunk} would hit, if any. */
    default Optional<LineUsage> blockedBy(String campaign, String trunk) {
        for (LimitKey k : LimitKey.levelsFor(campaign, trunk)) {
            LineUsage u = usage(k);
            if (u.full()) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}

package io.outdial.dialer.pacing;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Gate every call start passes: a line lease at all three levels, then a rate token at all three levels.
 * If the rate limit refuses, the lease is returned at once, so nothing is held by a call that did not start.
 */
public final class Pacer {
    private final LineLeases lines;
    private final RateLimiter rates;
    private final List<Runnable> releaseListeners = new CopyOnWriteArrayList<>();

    public Pacer(LineLeases lines, RateLimiter rates) {
        this.lines = Objects.requireNonNull(lines, "lines");
        this.rates = Objects.requireNonNull(rates, "rates");
    }

    /**
     * The pacer of a node alone: its leases in memory ({@link LocalLineLeases}), its rates limited as the originate
     * requests leave ({@link SlidingWindowRateLimiter#atSend}).
     */
    public static Pacer local(LineLimits lines, RateLimits rates, Clock clock) {
        return new Pacer(new LocalLineLeases(lines, clock), SlidingWindowRateLimiter.atSend(rates));
    }

    /** The answer to a start request. */
    public sealed interface Result permits Started, LineLimited, RateLimited { }

    /** Go: originate, and release the lease when the call ends. */
    public record Started(Lease lease) implements Result { }

    /** A line limit is full at {@code usage}. */
    public record LineLimited(LineUsage usage) implements Result { }

    /** A rate limit at {@code key} refuses until {@code retryAt}. */
    public record RateLimited(LimitKey key, Instant retryAt) implements Result { }

    /** Tries to start one call of {@code campaign} on {@code trunk} at {@code now}. */
    public Result tryStart(String campaign, String trunk, Instant now) {
        Optional<Lease> lease = lines.tryAcquire(campaign, trunk);
        if (lease.isEmpty()) {
            return new LineLimited(lines.blockedBy(campaign, trunk)
                    .orElseGet(() -> lines.usage(LimitKey.GLOBAL)));
        }
        RateLimiter.Decision d = rates.tryAcquire(LimitKey.levelsFor(campaign, trunk), now);
        if (!d.granted()) {
            finished(lease.get()); // the line held for a moment is free again: a campaign waiting for it may go
            return new RateLimited(d.blockedBy().orElseThrow(), d.retryAt());
        }
        return new Started(lease.get());
    }

    /** {@link #lease}, waiting for the answer: for worker threads (and benchmarks) only, never an event loop. */
    public Result tryLease(String campaign, String trunk) {
        return leased(lines.tryAcquire(campaign, trunk), campaign, trunk);
    }

    /** {@link #token}, waiting for the answer: for worker threads (and benchmarks) only, never an event loop. */
    public RateLimiter.Decision tryToken(String campaign, String trunk, Instant now) {
        return rates.tryAcquire(LimitKey.levelsFor(campaign, trunk), now);
    }

    /**
     * Takes a line lease only ({@link Started} or {@link LineLimited}), without blocking the calling thread (a
     * cluster's leases answer after a round trip); the rate token is taken later with {@link #token}, when the
     * originate request leaves.
     */
    public CompletionStage<Result> lease(String campaign, String trunk) {
        return lines.acquire(campaign, trunk).thenApply(lease -> leased(lease, campaign, trunk));
    }

    private Result leased(Optional<Lease> lease, String campaign, String trunk) {
        if (lease.isEmpty()) {
            return new LineLimited(lines.blockedBy(campaign, trunk)
                    .orElseGet(() -> lines.usage(LimitKey.GLOBAL)));
        }
        return new Started(lease.get());
    }

    /**
     * Takes one rate token at the campaign, trunk and global levels at {@code now} (all or none), without blocking
     * the calling thread; the answer is given on {@code caller}.
     */
    public CompletionStage<RateLimiter.Decision> token(String campaign, String trunk, Instant now, Executor caller) {
        return rates.acquire(LimitKey.levelsFor(campaign, trunk), now, caller);
    }

    /** Gives back a token of {@link #token} granted at {@code at} whose request never left. */
    public void giveBack(String campaign, String trunk, Instant at) {
        rates.giveBack(LimitKey.levelsFor(campaign, trunk), at);
    }

    /** How many starts the rate limits of {@code campaign} on {@code trunk} would grant at {@code now}. */
    public RateLimiter.Room rateRoom(String campaign, String trunk, Instant now) {
        return rates.room(LimitKey.levelsFor(campaign, trunk), now);
    }

    /** Ends a started call; then tells every release listener (a line may be free for a waiting campaign). */
    public void finished(Lease lease) {
        lines.release(lease);
        releaseListeners.forEach(Runnable::run);
    }

    /** Lines were freed elsewhere (another node): tells every release listener, as a release here does. */
    public void freedElsewhere() {
        releaseListeners.forEach(Runnable::run);
    }

    /** Adds a listener called (on the releasing thread, outside any pacer lock) after each {@link #finished}. */
    public void onRelease(Runnable listener) {
        releaseListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Lines in use and the limit at one level. */
    public LineUsage usage(LimitKey key) {
        return lines.usage(key);
    }

    /**
     * A lease for a call that is already live (re-attached after a restart), counted at every level even above a
     * limit, without blocking the calling thread: completes (on any thread) once every level counted it.
     */
    public CompletionStage<Lease> adoptLive(String campaign, String trunk) {
        return lines.adoptLive(campaign, trunk);
    }
}

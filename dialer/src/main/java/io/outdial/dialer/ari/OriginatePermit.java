package io.outdial.dialer.ari;

/**
 * Asked by {@link AriRestClient#originate(OriginateRequest, OriginatePermit)} at the moment the originate request
 * would go on the wire (past the request gate, on the event loop that sends it): a rate limit counts the requests
 * that reach the carrier, so its token is taken there and nowhere earlier. Must not block.
 */
@FunctionalInterface
public interface OriginatePermit {
    /** Send now. */
    long GO = 0;
    /** Never send: the attempt ended meanwhile; the originate fails with status 0 and "not sent". */
    long CANCEL = -1;
    /**
     * Never send: the call may no longer be placed (its calling window closed while it waited for its turn); the
     * originate fails with status 0 and "withdrawn", and the caller ends the attempt as not placed.
     */
    long WITHDRAW = -2;

    /**
     * {@link #GO}, {@link #CANCEL}, {@link #WITHDRAW}, or the real milliseconds to wait before asking again. The
     * answer may come later (a cluster's rate windows answer after a round trip) and is then given on
     * {@code caller}, the event loop that sends the request: the calling event loop never waits for it.
     */
    java.util.concurrent.CompletionStage<Long> acquire(java.util.concurrent.Executor caller);

    /**
     * When the token of the last {@link #GO} was taken, on the limiter's own time line, or null when this permit
     * keeps no time. The call engine stamps the attempt's {@code originate_at} with it, so the stored send times
     * are the very instants the rate windows counted (a thread descheduled between the two reads of a clock would
     * otherwise record a send later than its token and show more requests in a window than the limiter let
     * through).
     */
    default java.time.Instant grantedAt() {
        return null;
    }

    /** A permit that always says go. */
    OriginatePermit ALWAYS = caller -> java.util.concurrent.CompletableFuture.completedFuture(GO);
}

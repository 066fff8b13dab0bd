package io.outdial.dialer.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;

/**
 * The starts of one limit level across the cluster in the last second and the last minute (epoch ms, oldest
 * first): the value of one {@link ClusterRateLimiter#MAP} entry, changed only by {@link RateProcessor}.
 */
final class RateWindow implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final ArrayDeque<Long> seconds = new ArrayDeque<>();
    final ArrayDeque<Long> minutes = new ArrayDeque<>();

    /** Drops the starts at or before {@code now - length} of each window. */
    void prune(long now, long secondMs, long minuteMs) {
        while (!seconds.isEmpty() && seconds.peekFirst() <= now - secondMs) {
            seconds.pollFirst();
        }
        while (!minutes.isEmpty() && minutes.peekFirst() <= now - minuteMs) {
            minutes.pollFirst();
        }
    }

    /** A copy of the two windows: {@code [seconds..., minutes...]} with the first element the seconds' size. */
    long[] snapshot() {
        long[] out = new long[1 + seconds.size() + minutes.size()];
        out[0] = seconds.size();
        int i = 1;
        for (long t : seconds) {
            out[i++] = t;
        }
        for (long t : minutes) {
            out[i++] = t;
        }
        return out;
    }
}

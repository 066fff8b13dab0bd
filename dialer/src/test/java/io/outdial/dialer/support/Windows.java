package io.outdial.dialer.support;

import java.util.List;

/** Counting starts in sliding windows, for checks of rate limits. */
public final class Windows {
    private Windows() {
    }

    /** The most of {@code times} (ascending, any unit) in any window {@code (t - length, t]} of that unit. */
    public static int most(List<Long> times, long length) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < times.size(); to++) {
            while (times.get(to) - times.get(from) >= length) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }
}

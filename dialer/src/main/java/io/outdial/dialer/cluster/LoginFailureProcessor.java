package io.outdial.dialer.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;

import java.io.Serial;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The failed logins of one key ({@code u:<name>} or {@code a:<address>}) on its partition, as their times (epoch ms)
 * oldest first. {@link Op#FAIL} adds {@code now} and keeps the entry for one window after it (its TTL);
 * {@link Op#CHECK} answers how many ms the key must wait (0: none) once {@code max} failures are in the window.
 */
final class LoginFailureProcessor implements EntryProcessor<String, long[], Long> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Failure times kept per key at most (the newest). */
    static final int MAX_KEPT = 1000;

    enum Op { CHECK, FAIL }

    private final Op op;
    private final int max;
    private final long now;
    private final long windowMs;

    LoginFailureProcessor(Op op, int max, long now, long windowMs) {
        this.op = op;
        this.max = max;
        this.now = now;
        this.windowMs = windowMs;
    }

    @Override
    public Long process(Map.Entry<String, long[]> entry) {
        long[] times = entry.getValue() == null ? new long[0] : entry.getValue();
        int from = 0;
        while (from < times.length && times[from] <= now - windowMs) {
            from++;
        }
        if (op == Op.CHECK) {
            int left = times.length - from;
            if (left < max) {
                return 0L;
            }
            return Math.max(1000L, times[from] + windowMs - now);
        }
        int keep = Math.min(times.length - from, MAX_KEPT - 1);
        long[] next = Arrays.copyOfRange(times, times.length - keep, times.length + 1);
        next[keep] = now;
        ((ExtendedMapEntry<String, long[]>) entry).setValue(next, windowMs, TimeUnit.MILLISECONDS);
        return 0L;
    }
}

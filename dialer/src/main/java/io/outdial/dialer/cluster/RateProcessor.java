package io.outdial.dialer.cluster;

import com.hazelcast.map.EntryProcessor;

import java.io.Serial;
import java.util.Map;

/**
 * Takes (or gives back) one start at one limit level on its partition. {@link Op#TAKE} adds {@code now} when both
 * windows have room and answers {@code [0, snapshot...]}, else answers {@code [retryAt, snapshot...]} unchanged;
 * {@link Op#UNTAKE} removes a start taken at {@code now} (a later level refused); {@link Op#READ} changes nothing.
 * The snapshot is {@link RateWindow#snapshot()}.
 */
final class RateProcessor implements EntryProcessor<String, RateWindow, long[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    enum Op { TAKE, UNTAKE, READ }

    private final Op op;
    private final int perSecond;
    private final int perMinute;
    private final long now;
    private final long secondMs;
    private final long minuteMs;

    RateProcessor(Op op, int perSecond, int perMinute, long now, long secondMs, long minuteMs) {
        this.op = op;
        this.perSecond = perSecond;
        this.perMinute = perMinute;
        this.now = now;
        this.secondMs = secondMs;
        this.minuteMs = minuteMs;
    }

    @Override
    public long[] process(Map.Entry<String, RateWindow> entry) {
        RateWindow w = entry.getValue();
        if (w == null) {
            if (op != Op.TAKE) {
                return new long[] {0, 0};
            }
            w = new RateWindow();
        }
        w.prune(now, secondMs, minuteMs);
        long retryAt = 0;
        switch (op) {
            case TAKE:
                if (perSecond > 0 && w.seconds.size() >= perSecond) {
                    retryAt = w.seconds.peekFirst() + secondMs;
                } else if (perMinute > 0 && w.minutes.size() >= perMinute) {
                    retryAt = w.minutes.peekFirst() + minuteMs;
                } else {
                    if (perSecond > 0) {
                        w.seconds.addLast(now);
                    }
                    if (perMinute > 0) {
                        w.minutes.addLast(now);
                    }
                }
                break;
            case UNTAKE:
                w.seconds.removeLastOccurrence(now);
                w.minutes.removeLastOccurrence(now);
                break;
            default:
                break;
        }
        if (op != Op.READ) {
            entry.setValue(w.seconds.isEmpty() && w.minutes.isEmpty() ? null : w);
        }
        long[] snap = w.snapshot();
        long[] out = new long[snap.length + 1];
        out[0] = retryAt;
        System.arraycopy(snap, 0, out, 1, snap.length);
        return out;
    }

    @Override
    public EntryProcessor<String, RateWindow, long[]> getBackupProcessor() {
        return op == Op.READ ? null : this;
    }
}

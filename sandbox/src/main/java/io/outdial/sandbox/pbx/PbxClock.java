package io.outdial.sandbox.pbx;

import io.vertx.core.Vertx;

/**
 * The sandbox's notion of time: every delay of a called party, a prompt or a recording is expressed in
 * virtual milliseconds and scheduled through this clock. {@link #scaled(Vertx, double)} runs virtual time
 * {@code scale} times faster than real time (1.0 = real time), so a 30 s no-answer takes 3 s at scale 10.
 * Event timestamps use {@link #nowMillis()}, so they stay consistent with the virtual durations.
 */
public interface PbxClock {

    /** Virtual wall-clock time in epoch milliseconds. */
    long nowMillis();

    /** Runs {@code task} after {@code virtualDelayMillis} of virtual time; returns an id for {@link #cancel}. */
    long schedule(long virtualDelayMillis, Runnable task);

    /**
     * Runs {@code task} at virtual time {@code virtualTime} (epoch ms); chains of steps scheduled against their
     * intended times do not accumulate the lateness of each timer.
     */
    default long scheduleAt(long virtualTime, Runnable task) {
        return schedule(virtualTime - nowMillis(), task);
    }

    /** Cancels a task scheduled with {@link #schedule}; false when it already ran or was cancelled. */
    boolean cancel(long timerId);

    /** How many virtual milliseconds pass per real millisecond. */
    double scale();

    /** A clock backed by {@code vertx.setTimer}; virtual time runs {@code scale} times faster than real time. */
    static PbxClock scaled(Vertx vertx, double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("time scale " + scale + " must be a positive finite number");
        }
        long realStart = System.currentTimeMillis();
        long nanoStart = System.nanoTime();
        return new PbxClock() {
            @Override
            public long nowMillis() {
                double realElapsed = (System.nanoTime() - nanoStart) / 1_000_000.0;
                return realStart + (long) (realElapsed * scale);
            }

            @Override
            public long schedule(long virtualDelayMillis, Runnable task) {
                // Rounded up: a timer never fires before its virtual time (rounding down fired up to half a real
                // millisecond early, scale/2 virtual ones, and a 2 s recording came out as 1.99 s).
                long real = Math.max(1L, (long) Math.ceil(Math.max(0L, virtualDelayMillis) / scale));
                return vertx.setTimer(real, id -> task.run());
            }

            @Override
            public boolean cancel(long timerId) {
                return vertx.cancelTimer(timerId);
            }

            @Override
            public double scale() {
                return scale;
            }
        };
    }
}

package io.outdial.dialer.call;

import io.vertx.core.Vertx;

/**
 * The timers flows start through {@code CallControl.startTimer} (gather and record timeouts, pauses). Injectable so
 * that a time-scaled sandbox PBX ({@code SandboxPbxOptions.timeScale}) and the flows on its calls keep the same
 * pace: with the PBX at 10x, a flow's 5 s "no input" timeout must fire after 0.5 s real, as the callee's digits
 * do. Implementations run the task on the context that set the timer (the call's engine context), like Vert.x
 * timers set from a context.
 */
interface FlowTimers {

    /** Runs {@code task} after {@code delayMillis} of flow time; returns an id for {@link #cancel}. */
    long set(long delayMillis, Runnable task);

    /** Cancels a timer; unknown or fired ids are ignored. */
    void cancel(long id);

    /** Real time: Vert.x timers (the default). */
    static FlowTimers realTime(Vertx vertx) {
        return scaled(vertx, 1.0);
    }

    /**
     * Flow time runs {@code timeScale} times faster than real time (the sandbox's meaning: virtual milliseconds
     * per real millisecond). A delay of d ms fires after d / timeScale real ms (at least 1 ms).
     *
     * @throws IllegalArgumentException unless {@code timeScale} is positive and finite
     */
    static FlowTimers scaled(Vertx vertx, double timeScale) {
        CallEngine.checkedTimeScale(timeScale);
        return new FlowTimers() {
            @Override
            public long set(long delayMillis, Runnable task) {
                long real = Math.max(1, Math.round(delayMillis / timeScale));
                return vertx.setTimer(real, id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }

            @Override
            public String toString() {
                return "FlowTimers[timeScale=" + timeScale + "]";
            }
        };
    }
}

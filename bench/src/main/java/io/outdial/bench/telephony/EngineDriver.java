package io.outdial.bench.telephony;

import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.trunk.Trunk;
import io.vertx.core.Context;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Drives the call engine with a window of calls being set up: a new originate as soon as a call's flow started,
 * at most {@code window} calls between originate and flow start. Everything runs on the engine's context.
 */
final class EngineDriver {
    private final CallEngine engine;
    private final Trunk trunk;
    private final LoadFlow flow;
    private final Context ctx;
    private final Map<OutcomeKind, Integer> outcomes = new ConcurrentHashMap<>();
    private final List<String> held = new ArrayList<>();
    private String idPrefix;
    private String numberPrefix;
    private int target;
    private int window;
    private int issued;
    private int started;
    private int peak;
    private boolean keep;
    private int paced;
    private long t0;
    private long tLast;
    private Promise<Void> done;

    EngineDriver(CallEngine engine, Trunk trunk, Listener listener, LoadFlow flow) {
        this.engine = engine;
        this.trunk = trunk;
        this.flow = flow;
        this.ctx = engine.server().context();
        listener.driver = this;
    }

    /** Places {@code n} calls; returns when every flow has started (calls then end by themselves). */
    Result run(String ids, String numbers, int n, int window) throws Exception {
        return go(ids, numbers, n, window, false);
    }

    /** Places {@code n} long calls and returns when every flow has started; {@link #hangupAll()} ends them. */
    Result hold(String ids, String numbers, int n, int window) throws Exception {
        return go(ids, numbers, n, window, true);
    }

    /**
     * Places {@code n} calls at a steady {@code perSecond} (open loop, issued every 10 ms) and returns when every
     * flow has started: the latency phase, at the target rate rather than at saturation.
     */
    Result paced(String ids, String numbers, int n, int perSecond) throws Exception {
        return go(ids, numbers, n, Integer.MAX_VALUE, false, perSecond);
    }

    private Result go(String ids, String numbers, int n, int window, boolean keepIds) throws Exception {
        return go(ids, numbers, n, window, keepIds, 0);
    }

    private Result go(String ids, String numbers, int n, int window, boolean keepIds, int perSecond) throws Exception {
        Promise<Void> p = Promise.promise();
        ctx.runOnContext(v -> {
            idPrefix = ids;
            numberPrefix = numbers;
            target = n;
            this.window = window;
            issued = 0;
            started = 0;
            peak = 0;
            keep = keepIds;
            outcomes.clear();
            done = p;
            t0 = System.nanoTime();
            paced = perSecond;
            if (perSecond > 0) {
                engine.server().context().owner().setPeriodic(10, id -> {
                    long due = Math.min(target, (System.nanoTime() - t0) * perSecond / 1_000_000_000L + 1);
                    while (issued < due) {
                        issueOne();
                    }
                    peak = Math.max(peak, engine.activeCalls());
                    if (issued >= target) {
                        engine.server().context().owner().cancelTimer(id);
                    }
                });
            } else {
                pump();
            }
        });
        try {
            p.future().toCompletionStage().toCompletableFuture().get(CallLoad.PHASE_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("INCOMPLETE: phase " + ids + " timed out with " + started + " of " + n + " flows started");
        }
        double seconds = (tLast - t0) / 1e9;
        return new Result(started / Math.max(seconds, 1e-9), started, peak, outcomes);
    }

    private void pump() {
        if (paced > 0) {
            return;
        }
        while (issued < target && issued - started < window) {
            issueOne();
        }
        peak = Math.max(peak, engine.activeCalls());
    }

    private void issueOne() {
        String id = idPrefix + "-" + issued;
        String phone = numberPrefix + String.format("%07d", issued);
        issued++;
        if (keep) {
            held.add(id);
        }
        engine.originate(CallLoad.request(id, phone, trunk, flow));
    }

    private void onState(CallRecord r) {
        if (r.state() == CallState.IN_FLOW && done != null) {
            started++;
            tLast = System.nanoTime();
            if (started == target) {
                done.tryComplete();
            }
            pump();
        }
    }

    private void onEnded(CallRecord r) {
        outcomes.merge(r.outcome().kind(), 1, Integer::sum);
    }

    /** Hangs up every held call. */
    void hangupAll() {
        ctx.runOnContext(v -> {
            held.forEach(id -> engine.hangup(id, "normal"));
            held.clear();
        });
    }

    /** Waits (bounded) until the engine has no live call. */
    void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CallLoad.PHASE_TIMEOUT_S);
        while (engine.activeCalls() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (engine.activeCalls() > 0) {
            System.out.println("INCOMPLETE: " + engine.activeCalls() + " calls still live");
        }
    }

    /** What a phase measured. */
    record Result(double setupsPerSecond, int answered, int peakActive, Map<OutcomeKind, Integer> outcomes) {
    }

    /** The engine's listener, forwarding to the driver on the engine context. */
    static final class Listener implements CallListener {
        private volatile EngineDriver driver;

        @Override
        public void onStateChange(CallRecord record) {
            EngineDriver d = driver;
            if (d != null) {
                d.onState(record);
            }
        }

        @Override
        public void onEnded(CallRecord record) {
            EngineDriver d = driver;
            if (d != null) {
                d.onEnded(record);
            }
        }
    }
}

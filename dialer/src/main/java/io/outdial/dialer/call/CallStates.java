package io.outdial.dialer.call;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of this node's calls are in each {@link CallState} now, from the call listener's state changes: on
 * {@code /metrics} as {@code outdial_calls{state=dialing|ringing|answered|in_flow}} (a call waiting for its
 * calls-per-second permit is already dialing; an answered call whose flow started is in_flow). Updated on the engine
 * contexts, read by any thread: each state is an atomic count, moved when an attempt changes state or ends.
 */
final class CallStates implements CallListener {
    /** The states a live call can be in. */
    static final java.util.List<CallState> LIVE = java.util.List.of(CallState.DIALING, CallState.RINGING,
        CallState.ANSWERED, CallState.IN_FLOW);
    private final Map<String, CallState> calls = new ConcurrentHashMap<>();
    private final Map<CallState, AtomicInteger> counts = new EnumMap<>(CallState.class);

    CallStates() {
        LIVE.forEach(s -> counts.put(s, new AtomicInteger()));
    }

    /** Registers the gauges {@code outdial_calls{state}} on {@code registry}. */
    CallStates register(MeterRegistry registry) {
        for (CallState s : LIVE) {
            Gauge.builder("outdial_calls", this, c -> c.count(s)).tag("state", s.name().toLowerCase(Locale.ROOT))
                .description("this node's calls not ended yet, by state").register(registry);
        }
        return this;
    }

    /** Calls in {@code state} now. */
    int count(CallState state) {
        AtomicInteger n = counts.get(state);
        return n == null ? 0 : n.get();
    }

    @Override
    public void onStateChange(CallRecord record) {
        CallState before = calls.put(record.attemptId(), record.state());
        if (before != record.state()) {
            move(before, -1);
            move(record.state(), 1);
        }
    }

    @Override
    public void onEnded(CallRecord record) {
        move(calls.remove(record.attemptId()), -1);
    }

    private void move(CallState state, int by) {
        AtomicInteger n = state == null ? null : counts.get(state);
        if (n != null) {
            n.addAndGet(by);
        }
    }
}

package io.outdial.dialer.call;

/**
 * Observes call attempts; called on the engine's context, so implementations must not block (hand storage
 * work to a worker, e.g. {@link CallRecordWriter#listener(CallListener)}).
 */
public interface CallListener {

    /** The attempt was originated (DIALING) or changed state (RINGING, ANSWERED, IN_FLOW); not for ENDED. */
    default void onStateChange(CallRecord record) { }

    /** The attempt ended with its final outcome; called exactly once per attempt. */
    default void onEnded(CallRecord record) { }

    /** A listener that does nothing. */
    CallListener NONE = new CallListener() { };

    /**
     * A listener counting this node's calls by state, from their state changes, shown on {@code registry} as the
     * gauges {@code outdial_calls{state=dialing|ringing|answered|in_flow}}. Thread-safe.
     */
    static CallListener countingByState(io.micrometer.core.instrument.MeterRegistry registry) {
        return new CallStates().register(registry);
    }
}

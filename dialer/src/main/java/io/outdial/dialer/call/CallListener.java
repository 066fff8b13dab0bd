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
}

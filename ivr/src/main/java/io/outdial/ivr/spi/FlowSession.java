package io.outdial.ivr.spi;

/**
 * One run of an IVR flow on one answered call. Created by the ivr module's interpreter; driven by the call
 * engine, which feeds it every {@link CallEvent} on the call's context. Not thread-safe by design: one call,
 * one context.
 */
public interface FlowSession {

    /** Starts the flow: issues the first commands on the {@link CallControl}. Called once. */
    void start();

    /** Feeds a fact about the call. Events not expected in the current state are ignored. */
    void onEvent(CallEvent event);

    /** True once the flow has reached an end (hangup node, transfer bridged, callee hung up, error). */
    boolean isFinished();
}

package io.outdial.dialer.pacing;

/** {@link LineLeases} whose limits change while calls are live ({@link NodeLimits} sets them). */
public interface LimitedLines extends LineLeases {

    /** Replaces the limits; lowering one never cuts calls, it only stops new leases until usage is below it. */
    void setLimits(LineLimits limits);

    /**
     * Registers {@code listener}, told when lines were freed outside this node's own releases (another node of
     * the cluster released or lost its leases), so waiting campaigns try again. Nothing for a node alone.
     */
    default void onFreedElsewhere(Runnable listener) {
    }
}

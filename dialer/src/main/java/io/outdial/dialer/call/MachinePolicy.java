package io.outdial.dialer.call;

/** What the engine does when AMD says MACHINE. */
public enum MachinePolicy {
    /** Hang up at once without running the flow; the outcome is MACHINE. */
    HANG_UP,
    /** Run the flow anyway (e.g. to leave a message; the flow sees CallInfo.amdStatus); the outcome is MACHINE. */
    RUN_FLOW
}

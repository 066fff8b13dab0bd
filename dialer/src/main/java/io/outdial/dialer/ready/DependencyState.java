package io.outdial.dialer.ready;

/** State of one dependency as reported by {@code /ready}. */
enum DependencyState {
    /** Reachable and working. */
    UP,
    /** Not usable; the node is not ready while any dependency is down. */
    DOWN,
    /** Usable but impaired (e.g. one of several servers lost); the node stays ready. */
    DEGRADED,
    /** A simulated stand-in (sandbox carrier, demo); the node stays ready but nothing real happens. */
    SIMULATED;

    /** Whether a dependency in this state lets the node take work. */
    public boolean allowsReady() {
        return this != DOWN;
    }
}

package io.outdial.dialer.ready;

import java.util.Objects;

/**
 * The outcome of one readiness check: the dependency's state ({@code UP}, {@code DOWN}, {@code DEGRADED} or
 * {@code SIMULATED}, see {@link #stateName()}) and a short human-readable explanation (version, member count, error
 * cause); never a secret.
 */
public final class DependencyStatus {
    private final DependencyState state;
    private final String detail;

    DependencyStatus(DependencyState state, String detail) {
        this.state = Objects.requireNonNull(state, "state");
        this.detail = detail == null ? "" : detail;
    }

    /** Reachable and working. */
    public static DependencyStatus up(String detail) {
        return new DependencyStatus(DependencyState.UP, detail);
    }

    /** Not usable; the node is not ready while any dependency is down. */
    public static DependencyStatus down(String detail) {
        return new DependencyStatus(DependencyState.DOWN, detail);
    }

    /** Usable but impaired (e.g. one of several servers lost); the node stays ready. */
    public static DependencyStatus degraded(String detail) {
        return new DependencyStatus(DependencyState.DEGRADED, detail);
    }

    /** A simulated stand-in (sandbox carrier, demo); the node stays ready but nothing real happens. */
    public static DependencyStatus simulated(String detail) {
        return new DependencyStatus(DependencyState.SIMULATED, detail);
    }

    DependencyState state() {
        return state;
    }

    /** The state as {@code /ready} reports it: {@code UP}, {@code DOWN}, {@code DEGRADED} or {@code SIMULATED}. */
    public String stateName() {
        return state.name();
    }

    /** Whether the dependency is down: not usable, the node is not ready. */
    public boolean isDown() {
        return state == DependencyState.DOWN;
    }

    /** The short explanation; empty when none was given. */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DependencyStatus s && state == s.state && detail.equals(s.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, detail);
    }

    @Override
    public String toString() {
        return "DependencyStatus[state=" + state + ", detail=" + detail + "]";
    }
}

package io.outdial.dialer.ready;

import java.util.Objects;

/**
 * The outcome of one readiness check.
 *
 * @param state  the dependency's state
 * @param detail a short human-readable explanation (version, member count, error cause); never a secret
 */
public record DependencyStatus(DependencyState state, String detail) {
    public DependencyStatus {
        Objects.requireNonNull(state, "state");
        detail = detail == null ? "" : detail;
    }

    public static DependencyStatus up(String detail) {
        return new DependencyStatus(DependencyState.UP, detail);
    }

    public static DependencyStatus down(String detail) {
        return new DependencyStatus(DependencyState.DOWN, detail);
    }

    public static DependencyStatus degraded(String detail) {
        return new DependencyStatus(DependencyState.DEGRADED, detail);
    }

    public static DependencyStatus simulated(String detail) {
        return new DependencyStatus(DependencyState.SIMULATED, detail);
    }
}

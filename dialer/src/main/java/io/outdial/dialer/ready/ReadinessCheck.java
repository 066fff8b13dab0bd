package io.outdial.dialer.ready;

import io.vertx.core.Future;

/**
 * Checks one dependency. Called on the event loop for every {@code /ready} request, so it must not block:
 * blocking probes run on a worker and return a Future, or the check returns a cached status that a
 * background task refreshes.
 */
@FunctionalInterface
interface ReadinessCheck {
    /** The dependency's current status; a failed Future counts as {@link DependencyState#DOWN}. */
    Future<DependencyStatus> check();
}

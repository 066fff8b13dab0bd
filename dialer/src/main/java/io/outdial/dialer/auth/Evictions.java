package io.outdial.dialer.auth;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Carries an eviction (cached verifications a node must drop: a serializable value of this package, opaque to the
 * carrier, whose {@code toString} is safe to log) to every node's token and session cache: this node only
 * ({@link #local()}), or every member of a cluster. {@link ApiSecurity} registers its cache with {@link #handle}.
 */
public interface Evictions {
    /**
     * Applies {@code eviction} on every node, this one included, and returns once each has applied it (or, on a
     * cluster, a node did not answer within a short bound; its cache entries then end within
     * {@link ApiSecurity#CACHE_TTL}). May block: call on a worker thread.
     */
    void everywhere(Serializable eviction);

    /** Sets this node's handler (its cache). */
    void handle(Consumer<Serializable> local);

    /** A node alone: the eviction is applied to its own cache. */
    static Evictions local() {
        return new Evictions() {
            private volatile Consumer<Serializable> handler = e -> { };

            @Override
            public void everywhere(Serializable eviction) {
                handler.accept(eviction);
            }

            @Override
            public void handle(Consumer<Serializable> local) {
                handler = local;
            }
        };
    }
}

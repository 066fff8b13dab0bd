package io.outdial.dialer.auth;

import java.util.function.Consumer;

/**
 * Carries an {@link Eviction} to every node's token and session cache: this node only ({@link #local()}), or every
 * member of a cluster. {@link ApiSecurity} registers its cache with {@link #handle}.
 */
public interface Evictions {
    /**
     * Applies {@code e} on every node, this one included, and returns once each has applied it (or, on a cluster, a
     * node did not answer within a short bound; its cache entries then end within {@link ApiSecurity#CACHE_TTL}).
     * May block: call on a worker thread.
     */
    void everywhere(Eviction e);

    /** Sets this node's handler (its cache). */
    void handle(Consumer<Eviction> local);

    /** A node alone: the eviction is applied to its own cache. */
    static Evictions local() {
        return new Evictions() {
            private volatile Consumer<Eviction> handler = e -> { };

            @Override
            public void everywhere(Eviction e) {
                handler.accept(e);
            }

            @Override
            public void handle(Consumer<Eviction> local) {
                handler = local;
            }
        };
    }
}

package io.outdial.dialer.cascade;

import io.outdial.fallback.store.RunStore;

import javax.sql.DataSource;

/**
 * Gives the load runs the dialer's package-private {@link JdbcRunStore}: this class exists so that benchmarks can
 * reach the package's internals the way its tests do.
 */
public final class BenchRunStores {
    private BenchRunStores() {
    }

    /** The dialer's run store over {@code dataSource} (a migrated dialer database). */
    public static RunStore jdbc(DataSource dataSource) {
        return new JdbcRunStore(dataSource);
    }
}

package io.outdial.dialer.dialing;

import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.ivr.spi.FlowRunner;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.function.IntSupplier;

/**
 * Runners for the load runs: this class exists so benchmarks can reach the dialing package's internals (a runner's
 * parts, its pacer) the way the package's tests do; it lives in the package's name inside the bench module.
 */
public final class BenchRunners {
    private BenchRunners() { }

    /**
     * A runner of {@code s} alone on the caller's context, dialing through {@code engine} on the node's time
     * ({@code Clock.systemUTC()}), its parts built on a worker of {@code vertx} (call from outside the event loop).
     */
    public static Bench runner(Vertx vertx, Database db, CallEngine engine, Trunk trunk, CampaignSettings s,
                               FlowRunner flow, String region, String owner, WorkerExecutor worker) {
        RunnerParts parts = vertx.executeBlocking(() -> RunnerWiring.parts(db, engine, trunk, s, flow,
                RunnerClock.real(Clock.systemUTC()), region, owner)).await();
        return new Bench(new CampaignRunner(vertx, parts, worker), parts);
    }

    /** A runner and what a load run reads of it besides its public face. */
    public static final class Bench {
        private final CampaignRunner runner;
        private final RunnerParts parts;

        private Bench(CampaignRunner runner, RunnerParts parts) {
            this.runner = runner;
            this.parts = parts;
        }

        /** The runner. */
        public CampaignRunner runner() {
            return runner;
        }

        /** Attempts the runner originated. */
        public int started() {
            return runner.stats().started();
        }

        /** The line leases in use on {@code key} in the runner's pacer. */
        public IntSupplier leasesInUse(LimitKey key) {
            return () -> parts.pacer().usage(key).inUse();
        }
    }
}

package io.outdial.bench.fullstack.it;

import io.outdial.bench.fullstack.FullStackLoad;
import io.outdial.bench.fullstack.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-stack load harness works on a tiny run: a dialer node (from the class path), the sandbox PBX process
 * and a PostgreSQL server, 20 calls at 10/s and 20 at saturation on each engine, through the raw loop and the
 * dialer. Checks that the calls completed and the figures were computed, never how fast anything was.
 */
class FullStackLoadIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aTinyRunCompletesEveryCallOnBothSidesAndComputesEveryFigure() throws Exception {
        FullStackLoad.Options options = new FullStackLoad.Options(List.of(10, 0), 2, 20, 5, 50,
            List.of("h2", "postgresql"), 1000, 10, null, List.of(), dir);

        List<Step> steps = FullStackLoad.run(options);
        FullStackLoad.print(steps);

        assertThat(steps).hasSize(8);
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.completed()).as("calls completed: " + s).isEqualTo(s.calls());
            assertThat(s.pbx().originates()).as("originations the PBX saw: " + s).isEqualTo(s.calls());
            assertThat(s.setupsPerSecond()).as(s.toString()).isPositive();
            assertThat(s.pbx().mostInOneSecond()).as(s.toString()).isPositive();
            assertThat(s.pbx().mediaBad()).as("prompts fetched with 200 and audio: " + s).isZero();
            assertThat(s.cpuMs()).as(s.toString()).isPositive();
        });
        // a play request that reaches the PBX after the callee's key ended the call fetches nothing, and how often
        // that happens depends on the machine: some fetches, not one per call
        assertThat(steps).filteredOn(s -> s.side().equals("dialer")).allSatisfy(s -> {
            assertThat(s.samples()).as("live counts sampled: " + s).isPositive();
            assertThat(s.pbx().mediaFetched()).as("the spoken prompt fetched by the PBX: " + s).isPositive();
        });
        assertThat(steps).filteredOn(s -> s.side().equals("dialer") && s.engine().equals("postgresql"))
            .allSatisfy(s -> assertThat(s.postgresCpuMs()).as("PostgreSQL CPU: " + s).isPositive());
    }
}

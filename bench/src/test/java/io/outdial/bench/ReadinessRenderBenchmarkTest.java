package io.outdial.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The baseline and the measured methods must produce the same body, or the ratio compares unlike work. */
class ReadinessRenderBenchmarkTest {
    @ParameterizedTest
    @ValueSource(ints = {4, 16})
    void baselineAndMeasuredMethodsRenderTheSameBody(int dependencies) {
        ReadinessRenderBenchmark bench = new ReadinessRenderBenchmark();
        bench.dependencies = dependencies;
        bench.setUp();

        String expected = bench.baseline();

        assertThat(expected).contains("asterisk:pbx" + (dependencies - 1));
        assertThat(bench.renderReport()).isEqualTo(expected);
        assertThat(bench.checkAndRender()).isEqualTo(expected);
    }
}

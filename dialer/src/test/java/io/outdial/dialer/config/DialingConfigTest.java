package io.outdial.dialer.config;

import io.outdial.dialer.input.InvalidInput;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code dialing} section: defaults, file keys, environment overrides and refused values. */
class DialingConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void defaultsAreAThousandLinesNoNodeRateLimitAndAOneSecondReconcile() {
        DialingConfig d = loader.parse("", "empty.yaml", Map.of()).dialing();
        assertThat(d).isEqualTo(DialingConfig.defaults());
        assertThat(d.maxLines()).isEqualTo(1000);
        assertThat(d.maxPerSecond()).isZero();
        assertThat(d.maxPerMinute()).isZero();
        assertThat(d.reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theFileSetsOnlyTheKeysItNamesAndTheEnvironmentWins() {
        DialerConfig c = loader.parse("dialing:\n  maxLines: 120\n  maxPerSecond: 20\n  reconcileInterval: 500ms\n",
            "dialer.yaml", Map.of("DIALER_DIALING_MAX_PER_MINUTE", "600", "DIALER_DIALING_MAX_LINES", "90"));
        assertThat(c.dialing()).isEqualTo(new DialingConfig(90, 20, 600, Duration.ofMillis(500)));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsExpected() {
        assertThatThrownBy(() -> loader.parse("dialing:\n  maxLines: 0\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("dialer.yaml")
            .hasMessageContaining("maxLines 0 must be at least 1");
        assertThatThrownBy(() -> loader.parse("dialing:\n  maxLine: 10\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("unknown key \"dialing.maxLine\"");
        assertThatThrownBy(() -> loader.parse("dialing:\n  reconcileInterval: 1ms\n", "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("between 10ms and 5m");
    }
}

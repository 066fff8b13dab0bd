package io.outdial.dialer.trunk;

import io.outdial.dialer.config.DialerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trunk health keys of the {@code trunks} section. */
class TrunkConfigLoadTest {

    @Test
    void healthKeysAreReadWithDurationsAndDefaults() {
        DialerConfig c = DialerConfig.parse(String.join("\n",
            "trunks:",
            "  - name: a",
            "    endpointPattern: PJSIP/{number}@carrier",
            "    maxLines: 1",
            "    maxCps: 1",
            "    endpointPollInterval: 5s",
            "    breakerFailures: 4",
            "    breakerOpenFor: 1m",
            "  - name: b",
            "    endpointPattern: Local/{number}@out",
            "    maxLines: 1",
            "    maxCps: 1",
            "  - name: c",
            "    endpointPattern: PJSIP/{number}@carrier",
            "    maxLines: 1",
            "    maxCps: 1",
            "    endpointEvents: true",
            "  - name: d",
            "    endpointPattern: PJSIP/{number}@carrier",
            "    maxLines: 1",
            "    maxCps: 1",
            "    amd: true",
            "  - name: e",
            "    endpointPattern: PJSIP/{number}@carrier",
            "    maxLines: 1",
            "    maxCps: 1",
            "    amd: true",
            "    endpointEvents: false",
            ""), "test.yaml", Map.of());
        TrunkConfig a = c.trunks().get(0);
        assertThat(a.endpointPollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.breakerFailures()).isEqualTo(4);
        assertThat(a.breakerOpenFor()).isEqualTo(Duration.ofMinutes(1));
        TrunkConfig b = c.trunks().get(1);
        assertThat(b.endpointPollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.breakerFailures()).isEqualTo(10);
        assertThat(b.fixedEndpoint()).isEmpty();
        // the endpoint is subscribed unless endpointEvents: false
        assertThat(a.endpointEvents()).isTrue();
        assertThat(c.trunks().get(2).endpointEvents()).isTrue();
        assertThat(c.trunks().get(3).endpointEvents()).isTrue();
        assertThat(c.trunks().get(4).endpointEvents()).isFalse();
    }

    @Test
    void badHealthValuesAreRefusedWithTheTrunkName() {
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/{number}@c", null, false, 1, 1, null, false,
            Duration.ofMillis(10), null, null)).hasMessageContaining("trunk t: endpointPollInterval");
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/{number}@c", null, false, 1, 1, null, false, null, 0,
            null)).hasMessageContaining("breakerFailures 0");
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/{number}@c", null, false, 1, 1, null, false, null, null,
            Duration.ZERO)).hasMessageContaining("breakerOpenFor");
    }
}

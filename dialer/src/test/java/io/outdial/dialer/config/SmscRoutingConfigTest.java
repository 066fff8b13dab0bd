package io.outdial.dialer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.dialer.input.InvalidInput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The smsc section's routing keys: prefixes and weight, read and refused with their path. */
class SmscRoutingConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static String smsc(String name, String extra) {
        return "  - name: " + name + "\n    host: 127.0.0.1\n    port: 2775\n    systemId: outdial\n"
            + "    passwordEnv: SMSC_PW\n    sourceAddress: Outdial\n" + extra;
    }

    @Test
    void prefixesAndWeightAreRead() {
        DialerConfig c = loader.parse("smsc:\n" + smsc("fr", "    prefixes: [\"+33\", \"+44\"]\n    weight: 3\n")
            + smsc("rest", ""), "dialer.yaml", Map.of());
        assertThat(c.smsc().get(0).prefixes()).containsExactly("+33", "+44");
        assertThat(c.smsc().get(0).weight()).isEqualTo(3);
        assertThat(c.smsc().get(1).prefixes()).isEmpty();
        assertThat(c.smsc().get(1).weight()).isEqualTo(1);
    }

    @Test
    void badPrefixDuplicatePrefixAndBadWeightAreRefusedWithTheirPath() {
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "") + smsc("b", "    prefixes: [\"33\"]\n"),
            "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.path()).startsWith("$.smsc[1]"));
                assertThat(e.getMessage()).contains("dialer.yaml").contains("smsc[1]").contains("prefixes")
                    .contains("\"33\"");
            });
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "    prefixes: [\"+33\", \"+33\"]\n"),
            "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("smsc[0]").hasMessageContaining("each prefix once");
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "    weight: 0\n"), "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("smsc[0]").hasMessageContaining("weight")
            .hasMessageContaining("1..1000");
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "    weight: heavy\n"), "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("smsc[0].weight");
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "    prefix: [\"+33\"]\n"), "dialer.yaml",
            Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("smsc[0].prefix").hasMessageContaining("prefixes");
        assertThatThrownBy(() -> loader.parse("smsc:\n" + smsc("a", "") + smsc("a", "    prefixes: [\"+33\"]\n"),
            "dialer.yaml", Map.of()))
            .isInstanceOf(InvalidInput.class).hasMessageContaining("smsc");
    }

    @Test
    void routingKeysComeFromTheEnvironmentToo() {
        DialerConfig c = loader.parse("", "dialer.yaml", Map.of("DIALER_SMSC", "[{\"name\":\"a\",\"host\":\"h\","
            + "\"port\":1,\"systemId\":\"s\",\"passwordEnv\":\"P\",\"sourceAddress\":\"S\",\"prefixes\":[\"+7\"],"
            + "\"weight\":2}]"));
        assertThat(c.smsc()).singleElement().satisfies(s -> {
            assertThat(s.prefixes()).isEqualTo(List.of("+7"));
            assertThat(s.weight()).isEqualTo(2);
        });
    }
}

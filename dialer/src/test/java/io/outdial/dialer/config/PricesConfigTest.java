package io.outdial.dialer.config;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code prices} section: per channel, refunds for undelivered, environment overrides, refused values. */
class PricesConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void withoutTheSectionEverythingIsFree() {
        PricePlan plan = loader.parse("http:\n  port: 8080\n", "dialer.yaml", Map.of()).prices().plan();
        for (ChannelType c : ChannelType.values()) {
            assertThat(plan.price(c)).as(c.json()).isZero();
        }
        assertThat(plan.payForDelivered()).isFalse();
    }

    @Test
    void pricesPerChannelFromTheFileAndTheEnvironment() {
        PricePlan plan = loader.parse("prices:\n  sms: 5\n  viber: 3\n  payForDelivered: true\n", "dialer.yaml",
            Map.of("DIALER_PRICES_WHATSAPP", "8", "DIALER_PRICES_SMS", "6")).prices().plan();
        assertThat(plan.price(ChannelType.SMS)).as("the variable wins over the file").isEqualTo(6);
        assertThat(plan.price(ChannelType.VIBER)).isEqualTo(3);
        assertThat(plan.price(ChannelType.WHATSAPP)).isEqualTo(8);
        assertThat(plan.price(ChannelType.VOICE)).isZero();
        assertThat(plan.payForDelivered()).isTrue();
    }

    @Test
    void aNegativePriceOrAnUnknownChannelIsRefusedWithItsPath() {
        assertThatThrownBy(() -> loader.parse("prices:\n  sms: -1\n", "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems()).singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).startsWith("$.prices");
                    assertThat(p.message()).contains("prices.sms is -1");
                }));
        assertThatThrownBy(() -> loader.parse("prices:\n  telegram: 2\n", "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems()).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("$.prices.telegram")));
    }
}

package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.ChannelType;
import java.util.Map;

/**
 * What sending costs, in minor units (e.g. kopecks, cents): a price per SMS part, or per message on other
 * channels. Booked when the provider accepts the message; on a "pay for delivered" plan, refunded when the
 * message ends undelivered, expired or rejected.
 *
 * @param prices          price per unit by channel; a missing channel is free
 * @param payForDelivered refund messages that are not delivered
 */
public record PricePlan(Map<ChannelType, Long> prices, boolean payForDelivered) {

    public PricePlan {
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        prices.forEach((c, p) -> {
            if (p < 0) {
                throw new IllegalArgumentException("price of " + c.json() + " is " + p + "; expected 0 or more");
            }
        });
    }

    /** Everything free. */
    public static PricePlan free() {
        return new PricePlan(Map.of(), false);
    }

    /** The price of one unit on a channel. */
    public long price(ChannelType channel) {
        return prices.getOrDefault(channel, 0L);
    }
}

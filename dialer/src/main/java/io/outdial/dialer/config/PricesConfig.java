package io.outdial.dialer.config;

import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import java.util.EnumMap;
import java.util.Map;

/**
 * What messaging fallback books per message ({@code prices} section, docs/configuration.md), in minor units of the
 * account's currency: per SMS part, per WhatsApp, Viber or webhook message, per call of a voice block. A channel
 * left out costs nothing. Read through {@link DialerConfig#pricePlan()}.
 *
 * @param sms             per SMS part
 * @param whatsapp        per WhatsApp message
 * @param viber           per Viber message
 * @param webhook         per webhook call
 * @param voice           per call of a voice block
 * @param payForDelivered whether an undelivered (or expired, rejected) message is refunded
 */
record PricesConfig(Long sms, Long whatsapp, Long viber, Long webhook, Long voice, Boolean payForDelivered) {
    public PricesConfig {
        check("sms", sms);
        check("whatsapp", whatsapp);
        check("viber", viber);
        check("webhook", webhook);
        check("voice", voice);
        payForDelivered = payForDelivered != null && payForDelivered;
    }

    /** Everything free. */
    public static PricesConfig defaults() {
        return new PricesConfig(null, null, null, null, null, false);
    }

    /** The engine's price plan. */
    public PricePlan plan() {
        Map<ChannelType, Long> prices = new EnumMap<>(ChannelType.class);
        put(prices, ChannelType.SMS, sms);
        put(prices, ChannelType.WHATSAPP, whatsapp);
        put(prices, ChannelType.VIBER, viber);
        put(prices, ChannelType.WEBHOOK, webhook);
        put(prices, ChannelType.VOICE, voice);
        return new PricePlan(prices, payForDelivered);
    }

    private static void put(Map<ChannelType, Long> prices, ChannelType channel, Long price) {
        if (price != null) {
            prices.put(channel, price);
        }
    }

    private static void check(String key, Long price) {
        if (price != null && price < 0) {
            throw new IllegalArgumentException("prices." + key + " is " + price + "; expected 0 or more minor units");
        }
    }
}

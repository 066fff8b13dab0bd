package io.outdial.fallback.engine;

import io.outdial.fallback.scheme.ChannelType;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings of the cascade engine.
 *
 * @param pollInterval how often due timers are looked for (default 1 s)
 * @param timerBatch   most timers fired per look (default 500)
 * @param prices       the price plan (default free)
 * @param dailyCaps    most messages per recipient per channel per day, across campaigns; a missing channel has
 *                     no cap (default none)
 * @param capZone      the zone whose midnight starts a cap day (default UTC)
 * @param stopWords    replies that put the sender on the stop-list, compared trimmed and case-insensitively
 *                     (default STOP, STOPALL, UNSUBSCRIBE, СТОП, ОТПИСАТЬСЯ)
 */
public record EngineOptions(Duration pollInterval, int timerBatch, PricePlan prices,
                            Map<ChannelType, Integer> dailyCaps, ZoneId capZone, Set<String> stopWords) {

    /** Default stop words. */
    public static final Set<String> STOP_WORDS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "СТОП", "ОТПИСАТЬСЯ");

    public EngineOptions {
        if (pollInterval == null || pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("pollInterval must be at least 1 ms, was " + pollInterval);
        }
        if (timerBatch < 1) {
            throw new IllegalArgumentException("timerBatch must be at least 1, was " + timerBatch);
        }
        prices = prices == null ? PricePlan.free() : prices;
        dailyCaps = dailyCaps == null ? Map.of() : Map.copyOf(dailyCaps);
        capZone = capZone == null ? ZoneOffset.UTC : capZone;
        stopWords = (stopWords == null ? STOP_WORDS : stopWords).stream()
                .map(w -> w.trim().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The defaults. */
    public static EngineOptions defaults() {
        return new EngineOptions(Duration.ofSeconds(1), 500, PricePlan.free(), Map.of(), ZoneOffset.UTC, null);
    }

    /** These options with another price plan. */
    public EngineOptions withPrices(PricePlan plan) {
        return new EngineOptions(pollInterval, timerBatch, plan, dailyCaps, capZone, stopWords);
    }

    /** These options with daily caps. */
    public EngineOptions withDailyCaps(Map<ChannelType, Integer> caps) {
        return new EngineOptions(pollInterval, timerBatch, prices, caps, capZone, stopWords);
    }

    /** True when a reply is a stop word. */
    public boolean isStopWord(String text) {
        return text != null && stopWords.contains(text.trim().toUpperCase(Locale.ROOT));
    }
}

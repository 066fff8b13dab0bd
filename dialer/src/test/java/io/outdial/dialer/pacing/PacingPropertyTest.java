package io.outdial.dialer.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * On a simulated clock with random call durations and arrival patterns, line limits are never exceeded at
 * any instant and rate limits in no 1-second or 60-second window (checked from every start, so unaligned).
 */
class PacingPropertyTest {
    private static final List<String> CAMPAIGNS = List.of("c1", "c2", "c3");
    private static final List<String> TRUNKS = List.of("t1", "t2");

    private record Call(Instant end, Lease lease) { }

    @Property(tries = 150)
    void limitsHoldAtEveryInstantAndInEverySlidingWindow(@ForAll long seed, @ForAll @IntRange(min = 50, max = 600) int steps) {
        Random rnd = new Random(seed);
        Map<String, Integer> trunkLines = Map.of("t1", 1 + rnd.nextInt(6), "t2", 1 + rnd.nextInt(6));
        Map<String, Integer> campLines = new HashMap<>();
        Map<String, RateLimit> campRates = new HashMap<>();
        for (String c : CAMPAIGNS) {
            if (rnd.nextBoolean()) {
                campLines.put(c, 1 + rnd.nextInt(4));
            }
            if (rnd.nextBoolean()) {
                campRates.put(c, new RateLimit(rnd.nextInt(3), rnd.nextInt(20)));
            }
        }
        LineLimits lineLimits = new LineLimits(1 + rnd.nextInt(10), trunkLines, campLines);
        RateLimits rateLimits = new RateLimits(new RateLimit(rnd.nextInt(5), rnd.nextInt(60)),
                Map.of("t1", new RateLimit(rnd.nextInt(4), 0), "t2", new RateLimit(0, rnd.nextInt(30))), campRates);

        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        LocalLineLeases leases = new LocalLineLeases(lineLimits, clock);
        Pacer pacer = new Pacer(leases, new SlidingWindowRateLimiter(rateLimits));
        PriorityQueue<Call> live = new PriorityQueue<>((a, b) -> a.end().compareTo(b.end()));
        Map<LimitKey, List<Instant>> starts = new HashMap<>();
        Map<LimitKey, Integer> inUse = new HashMap<>();

        for (int step = 0; step < steps; step++) {
            now = now.plusMillis(rnd.nextInt(rnd.nextBoolean() ? 50 : 2000));
            while (!live.isEmpty() && !live.peek().end().isAfter(now)) {
                Lease l = live.poll().lease();
                pacer.finished(l);
                LimitKey.levelsFor(l.campaign(), l.trunk()).forEach(k -> inUse.merge(k, -1, Integer::sum));
            }
            int burst = 1 + rnd.nextInt(5);
            for (int i = 0; i < burst; i++) {
                String c = CAMPAIGNS.get(rnd.nextInt(CAMPAIGNS.size()));
                String t = TRUNKS.get(rnd.nextInt(TRUNKS.size()));
                Pacer.Result r = pacer.tryStart(c, t, now);
                if (r instanceof Pacer.Started) {
                    Lease l = ((Pacer.Started) r).lease();
                    // calls end at random: instantly failed, short, or long
                    long ms = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(30_000);
                    live.add(new Call(now.plusMillis(ms), l));
                    for (LimitKey k : LimitKey.levelsFor(c, t)) {
                        starts.computeIfAbsent(k, x -> new ArrayList<>()).add(now);
                        int n = inUse.merge(k, 1, Integer::sum);
                        assertThat(n).as("lines at %s", k).isLessThanOrEqualTo(lineLimits.max(k));
                        assertThat(leases.usage(k).inUse()).isEqualTo(n);
                    }
                }
            }
        }
        starts.forEach((k, list) -> {
            RateLimit limit = rateLimits.limit(k);
            assertWindows(k, list, limit.perSecond(), Duration.ofSeconds(1));
            assertWindows(k, list, limit.perMinute(), Duration.ofMinutes(1));
        });
    }

    private static void assertWindows(LimitKey k, List<Instant> times, int max, Duration window) {
        if (max == 0) {
            return;
        }
        int j = 0;
        for (int i = 0; i < times.size(); i++) {
            Instant end = times.get(i).plus(window);
            if (j < i) {
                j = i;
            }
            while (j < times.size() && times.get(j).isBefore(end)) {
                j++;
            }
            assertThat(j - i).as("starts at %s in %s from %s", k, window, times.get(i)).isLessThanOrEqualTo(max);
        }
    }
}

package io.outdial.dialer.dialing;

import io.outdial.dialer.pacing.Lease;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.support.MutableClock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Campaigns sharing the lines of one trunk by priority and weight, driven like runners: claim → leases →
 * settle; call ends release leases and wake whoever {@code FairShare} picks. Simulated time, no threads.
 */
class LineSharingTest {
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final NodeLimits limits = new NodeLimits(1000, RateLimit.NONE, clock)
        .configureTrunk("carrier", new NodeLimits.TrunkLimit(8, RateLimit.NONE));
    private final LineSharing sharing = new LineSharing(limits.pacer());
    private final Map<String, Deque<Lease>> live = new HashMap<>();
    private final Map<String, AtomicInteger> wakes = new HashMap<>();
    private final Map<String, Integer> due = new HashMap<>();

    private void join(String campaign, int priority, int weight, int dueContacts) {
        limits.join(campaign, "carrier", new NodeLimits.TrunkLimit(30, RateLimit.NONE), 8, RateLimit.NONE);
        wakes.put(campaign, new AtomicInteger());
        live.put(campaign, new ArrayDeque<>());
        due.put(campaign, dueContacts);
        sharing.join(campaign, "carrier", priority, weight, () -> wakes.get(campaign).incrementAndGet());
    }

    /** One runner round: claim up to a batch, pick what is due, take the leases, settle. */
    private int round(String campaign) {
        int n = sharing.claim(campaign, 20);
        if (n == 0) {
            return 0;
        }
        int picked = Math.min(n, due.get(campaign));
        for (int i = 0; i < picked; i++) {
            Pacer.Result r = limits.pacer().tryStart(campaign, "carrier", clock.instant());
            assertThat(r).as("a claimed line is free").isInstanceOf(Pacer.Started.class);
            live.get(campaign).add(((Pacer.Started) r).lease());
        }
        due.merge(campaign, -picked, Integer::sum);
        sharing.settle(campaign, n, picked == n);
        return picked;
    }

    private void end(String campaign) {
        limits.pacer().finished(live.get(campaign).poll());
    }

    private int lines(String campaign) {
        return live.get(campaign).size();
    }

    @Test
    void weightsThreeToOneOnEightSharedLinesGiveSixAndTwo() {
        join("a", 0, 3, 1000);
        join("b", 0, 1, 1000);
        round("a");
        round("b");
        assertThat(lines("a")).isEqualTo(6);
        assertThat(lines("b")).isEqualTo(2);

        // calls end at random; each runner rounds after its own call end and when woken
        Random random = new Random(7);
        List<Integer> aSamples = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String ender = random.nextInt(lines("a") + lines("b")) < lines("a") ? "a" : "b";
            end(ender);
            round(ender);
            for (String c : List.of("a", "b")) {
                if (wakes.get(c).getAndSet(0) > 0) {
                    round(c);
                }
            }
            assertThat(lines("a") + lines("b")).as("the trunk limit holds").isLessThanOrEqualTo(8);
            aSamples.add(lines("a"));
        }
        assertThat(lines("a") + lines("b")).as("no line idles while both have due contacts").isEqualTo(8);
        double avgA = aSamples.stream().mapToInt(Integer::intValue).average().orElseThrow();
        assertThat(avgA).as("campaign a holds about 6 of 8 lines").isBetween(5.5, 6.5);
    }

    @Test
    void higherPriorityTakesEveryLineItCanUseAndTheLowerOneGetsTheRest() {
        join("high", 1, 1, 100);
        join("low", 0, 5, 100);
        round("low");
        // low went first, but only got what high does not want: high has due contacts (demand assumed)
        assertThat(lines("low")).isZero();
        assertThat(sharing.waiting("low")).isTrue();
        round("high");
        assertThat(lines("high")).isEqualTo(8);

        // high runs out of due contacts: its next round is short, and low is woken for the lines high leaves
        due.put("high", 0);
        end("high");
        end("high");
        round("high");
        assertThat(wakes.get("low").get()).as("low woken when high settled with nothing due").isPositive();
        round("low");
        assertThat(lines("low")).isEqualTo(2);
        assertThat(lines("high")).isEqualTo(6);
    }

    @Test
    void aCampaignWithNoCallsOfItsOwnBlockedByAnothersCallsIsWokenWhenALineFrees() {
        join("a", 0, 1, 100);
        round("a");
        assertThat(lines("a")).isEqualTo(8);
        join("b", 0, 1, 100);
        assertThat(round("b")).isZero();
        assertThat(sharing.waiting("b")).isTrue();
        assertThat(sharing.blockedBy("b")).get().hasToString("line limit 8/8 on trunk carrier");

        end("a"); // a's call ends: b has 0 lines, a 7, so the free line is b's turn

        assertThat(wakes.get("b").get()).isEqualTo(1);
        assertThat(wakes.get("a").get()).isZero();
        // a rounds after its own call end first: FairShare keeps the line for b
        assertThat(round("a")).isZero();
        assertThat(round("b")).isEqualTo(1);
    }

    @Test
    void aCampaignLeavingGivesItsShareToTheOthers() {
        join("a", 0, 1, 100);
        join("b", 0, 1, 100);
        round("a");
        assertThat(lines("a")).isEqualTo(4);
        assertThat(round("b")).isEqualTo(4);
        due.put("b", 0);
        round("b");
        sharing.leave("b");
        live.get("b").forEach(limits.pacer()::finished);
        live.get("b").clear();
        assertThat(round("a")).isEqualTo(4);
    }
}

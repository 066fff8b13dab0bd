package io.outdial.dialer.dialing;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link FairShare} splits free lines between campaigns: priority first, then weights. */
class FairShareTest {
    @Test
    void higherPriorityGetsLinesFirstAndWeightsSplitTheRest() {
        Map<String, Integer> a = FairShare.allocate(10, List.of(
                new FairShare.Claim("urgent", 2, 1, 0, 4),
                new FairShare.Claim("big", 1, 3, 0, 100),
                new FairShare.Claim("small", 1, 1, 0, 100)));
        assertThat(a).containsEntry("urgent", 4).containsEntry("big", 5).containsEntry("small", 1);
        Map<String, Integer> b = FairShare.allocate(8, List.of(
                new FairShare.Claim("big", 1, 3, 0, 100), new FairShare.Claim("small", 1, 1, 0, 100)));
        assertThat(b).containsEntry("big", 6).containsEntry("small", 2);
        assertThat(FairShare.next(List.of(new FairShare.Claim("idle", 9, 1, 0, 0)))).isEmpty();
    }
}

package io.outdial.bench.fullstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PbxStatsTest {

    @Test
    void slidingWindowsCountTheMostAndTheTimesThatEndAWindowOverTheLimit() {
        // 0, 400, 900 and 999 share one second, and 400 to 1000 (0 is a whole second before 1000); from 1900 on at
        // most three: the window ending at t holds (t - width, t]
        List<Long> times = List.of(0L, 400L, 900L, 999L, 1000L, 1900L, 1999L);
        assertThat(PbxStats.windows(times, 1000, 3)).containsExactly(4, 2);
        assertThat(PbxStats.windows(times, 1000, 0)).containsExactly(4, 0);
        assertThat(PbxStats.windows(List.of(), 1000, 3)).containsExactly(0, 0);
    }
}

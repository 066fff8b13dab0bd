package io.outdial.dialer.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.reporting.CampaignHistory.Bucket;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bucket arithmetic of {@link CampaignHistory}: aligned counts, the automatic choice, nearest-rank percentiles. */
class CampaignHistoryBucketTest {
    private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void bucketsAreCountedBetweenAlignedEnds() {
        assertThat(Bucket.count(Bucket.M1, T, T.plusSeconds(600))).isEqualTo(10);
        assertThat(Bucket.count(Bucket.M1, T.plusSeconds(30), T.plusSeconds(90))).isEqualTo(2);
        assertThat(Bucket.count(Bucket.D1, T, T.plusSeconds(1))).isEqualTo(1);
        assertThat(Bucket.count(Bucket.M5, T, T.plusSeconds(86_400))).isEqualTo(288);
    }

    @Test
    void theNarrowestBucketWithinFiveHundredIsChosen() {
        assertThat(Bucket.auto(T, T.plusSeconds(500 * 60))).hasValue(Bucket.M1);
        assertThat(Bucket.auto(T, T.plusSeconds(501 * 60))).hasValue(Bucket.M5);
        assertThat(Bucket.auto(T, T.plusSeconds(7 * 86_400))).hasValue(Bucket.H1);
        assertThat(Bucket.auto(T, T.plusSeconds(60L * 86_400))).hasValue(Bucket.D1);
        assertThat(Bucket.auto(T, T.plusSeconds(501L * 86_400))).isEmpty();
        assertThat(Bucket.of(" 15M ")).hasValue(Bucket.M15);
        assertThat(Bucket.of("2m")).isEmpty();
    }
}

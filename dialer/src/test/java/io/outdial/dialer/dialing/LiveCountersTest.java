package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.attempt.ContactResult;
import io.outdial.dialer.contact.ContactCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LiveCountersTest {

    @Test
    void concurrentMovesKeepEverySnapshotConsistentAndLoseNothing() throws Exception {
        LiveCounters counters = new LiveCounters(ContactCounts.ZERO);
        counters.imported(40_000, 0);
        int workers = 4;
        int perWorker = 10_000;
        ExecutorService pool = Executors.newFixedThreadPool(workers + 1);
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWorker; i++) {
                        counters.picked(1);
                        if (i % 2 == 0) {
                            counters.closed(i % 4 == 0 ? ContactResult.SUCCESS : ContactResult.EXHAUSTED);
                        } else {
                            counters.planned();
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                start.await();
                int reads = 0;
                while (!done.get() && reads < 5_000_000) {
                    ContactCounts c = counters.snapshot(); // the record checks that the parts add up
                    assertThat(c.total()).isEqualTo(40_000);
                    assertThat(c.inProgress()).isBetween(0L, (long) workers);
                    reads++;
                }
                return reads;
            });
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            done.set(true);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(counters.snapshot()).isEqualTo(new ContactCounts(40_000, 0, 20_000, 0, 10_000, 0, 10_000, 0, 0));
    }

    @Test
    void contactsThatBecameDueMoveFromPlannedToAvailableAndNeverBelowZero() {
        LiveCounters counters = new LiveCounters(new ContactCounts(10, 2, 5, 3, 0, 0, 0, 0, 0));
        assertThat(counters.becameDue(2)).isEqualTo(new ContactCounts(10, 4, 3, 3, 0, 0, 0, 0, 0));
        assertThat(counters.becameDue(0)).isEqualTo(new ContactCounts(10, 4, 3, 3, 0, 0, 0, 0, 0));
        // more than planned holds (some were picked meanwhile): planned empties, nothing goes negative
        assertThat(counters.becameDue(9)).isEqualTo(new ContactCounts(10, 7, 0, 3, 0, 0, 0, 0, 0));
    }

    @Test
    void resyncReplacesTheSnapshot() {
        LiveCounters counters = new LiveCounters(ContactCounts.ZERO);
        counters.imported(3, 1);
        assertThat(counters.snapshot().stopListed()).isEqualTo(1);
        ContactCounts db = new ContactCounts(3, 1, 1, 0, 0, 0, 0, 0, 1);
        counters.resync(db);
        assertThat(counters.snapshot()).isEqualTo(db);
    }

    @Test
    void pickingRetriesThatCameDueSinceTheSnapshotNeverMakesAvailableNegative() {
        // the snapshot: 2 due now, 5 planned for later; then the retries' time comes and 4 are claimed
        LiveCounters counters = new LiveCounters(new ContactCounts(7, 2, 5, 0, 0, 0, 0, 0, 0));

        ContactCounts after = counters.picked(4);

        assertThat(after).isEqualTo(new ContactCounts(7, 0, 3, 4, 0, 0, 0, 0, 0));
        counters.planned();
        assertThat(counters.picked(2).availableNow()).isZero();
    }
}

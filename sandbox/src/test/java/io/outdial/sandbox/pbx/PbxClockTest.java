package io.outdial.sandbox.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A scaled clock never runs a task before its virtual time, whatever the delay's remainder against the scale. */
class PbxClockTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aTaskScheduledAtAVirtualTimeNeverRunsBeforeIt() throws InterruptedException {
        PbxClock clock = PbxClock.scaled(vertx, 20);
        int tasks = 60;
        List<Long> early = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            // Delays of 1,000 to 1,059 virtual ms: every remainder modulo the scale, 50 to 53 real ms each.
            long due = clock.nowMillis() + 1_000 + i;
            clock.scheduleAt(due, () -> {
                long now = clock.nowMillis();
                if (now < due) {
                    early.add(due - now);
                }
                done.countDown();
            });
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(early).as("virtual ms a task ran before its time").isEmpty();
    }
}

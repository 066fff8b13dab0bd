package io.outdial.dialer.call;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowTimersTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aScaledTimerFiresAfterTheDelayDividedByTheScale() throws Exception {
        FlowTimers tenTimes = FlowTimers.scaled(vertx, 10);
        CompletableFuture<Long> fired = new CompletableFuture<>();
        long t0 = System.nanoTime();
        tenTimes.set(3_000, () -> fired.complete(System.nanoTime()));
        long elapsedMs = Duration.ofNanos(fired.get(5, TimeUnit.SECONDS) - t0).toMillis();
        assertThat(elapsedMs).isBetween(290L, 2_500L); // 300 ms real; never early, well before the 3 s real time
    }

    @Test
    void aCancelledTimerNeverFires() throws Exception {
        FlowTimers real = FlowTimers.realTime(vertx);
        CompletableFuture<String> fired = new CompletableFuture<>();
        long id = real.set(50, () -> fired.complete("cancelled one"));
        real.cancel(id);
        real.set(100, () -> fired.complete("second"));
        assertThat(fired.get(5, TimeUnit.SECONDS)).isEqualTo("second");
    }

    @Test
    void badScalesAreRefused() {
        assertThatThrownBy(() -> FlowTimers.scaled(vertx, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FlowTimers.scaled(vertx, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

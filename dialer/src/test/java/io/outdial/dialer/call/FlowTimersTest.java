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
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        // a plain 1 s timer set after it: the scaled 3 s (300 ms real) fires first, whatever the machine's load
        tenTimes.set(3_000, () -> {
            order.add("scaled");
            fired.complete(System.nanoTime());
        });
        vertx.setTimer(1_000, id -> order.add("plain 1 s"));
        long elapsedMs = Duration.ofNanos(fired.get(30, TimeUnit.SECONDS) - t0).toMillis();
        assertThat(elapsedMs).isGreaterThanOrEqualTo(290L); // never early
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 2);
        assertThat(order).containsExactly("scaled", "plain 1 s");
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

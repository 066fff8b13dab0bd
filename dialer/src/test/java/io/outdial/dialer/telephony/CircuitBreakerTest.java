package io.outdial.dialer.telephony;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CircuitBreakerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        CircuitBreaker b = new CircuitBreaker(3, Duration.ofSeconds(30));
        b.failure(T0, "CONGESTION a");
        b.failure(T0, "CONGESTION b");
        assertThat(b.state(T0)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(b.down(T0)).isEmpty();
        b.failure(T0.plusSeconds(1), "FAILED HTTP 500");
        assertThat(b.state(T0.plusSeconds(1))).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.down(T0.plusSeconds(2))).hasValueSatisfying(why -> assertThat(why)
                .contains("3 consecutive calls failed").contains("FAILED HTTP 500").contains("12:00:31Z"));
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        CircuitBreaker b = new CircuitBreaker(3, Duration.ofSeconds(30));
        b.failure(T0, "x");
        b.failure(T0, "x");
        b.success();
        b.failure(T0, "x");
        b.failure(T0, "x");
        assertThat(b.state(T0)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(b.failures()).isEqualTo(2);
    }

    @Test
    void halfOpenAfterTheOpenTimeThenOneSuccessClosesIt() {
        CircuitBreaker b = new CircuitBreaker(2, Duration.ofSeconds(30));
        b.failure(T0, "x");
        b.failure(T0, "x");
        assertThat(b.state(T0.plusSeconds(29))).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.state(T0.plusSeconds(30))).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(b.down(T0.plusSeconds(30))).isEmpty();
        b.success();
        assertThat(b.state(T0.plusSeconds(31))).isEqualTo(CircuitBreaker.State.CLOSED);
        b.failure(T0.plusSeconds(31), "x");
        assertThat(b.state(T0.plusSeconds(31))).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void oneFailureWhileHalfOpenOpensItAgainAtOnce() {
        CircuitBreaker b = new CircuitBreaker(5, Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            b.failure(T0, "x");
        }
        Instant later = T0.plusSeconds(10);
        assertThat(b.state(later)).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        b.failure(later, "again");
        assertThat(b.state(later)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(b.state(later.plusSeconds(10))).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new CircuitBreaker(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CircuitBreaker(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}

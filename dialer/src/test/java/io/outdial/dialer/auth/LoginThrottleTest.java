package io.outdial.dialer.auth;

import io.outdial.dialer.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 5, Duration.ofMinutes(10));

    @Test
    void aUserIsRefusedAfterItsFailuresUntilTheOldestLeavesTheWindow() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.wait("ann", "10.0.0.1")).isEmpty();
            throttle.failed("ann", "10.0.0.1");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(throttle.wait("ann", "10.0.0.2")).as("from any address").hasValue(Duration.ofMinutes(7));
        assertThat(throttle.wait("bob", "10.0.0.2")).as("another user from another address").isEmpty();
        clock.advance(Duration.ofMinutes(7));
        assertThat(throttle.wait("ann", "10.0.0.1")).isEmpty();
    }

    @Test
    void anAddressIsRefusedAfterFailuresOfManyUsers() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.wait("someone-new", "10.0.0.9")).isPresent();
        assertThat(throttle.wait("someone-new", "10.0.0.8")).isEmpty();
    }

    @Test
    void aSuccessClearsTheUsersFailures() {
        throttle.failed("cy", "a");
        throttle.failed("cy", "a");
        throttle.succeeded("cy");
        throttle.failed("cy", "a");
        throttle.failed("cy", "a");
        assertThat(throttle.wait("cy", "b")).isEmpty();
    }
}

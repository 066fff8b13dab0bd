package io.outdial.dialer.node;

import io.outdial.dialer.support.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class DrainTrackerTest {
    private final Vertx vertx = Vertx.vertx();
    private final DrainTracker tracker = new DrainTracker(vertx);

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    @Test
    void drainWaitsForLiveTicketsAndRefusesNewWork() {
        DrainTracker.Ticket call = tracker.tryBegin("call").orElseThrow();

        Future<DrainTracker.DrainResult> drained = tracker.drain(Duration.ofSeconds(20));

        assertThat(tracker.accepting()).isFalse();
        assertThat(tracker.tryBegin("call")).isEmpty();
        assertThat(drained.isComplete()).isFalse();
        call.close();
        DrainTracker.DrainResult result = Await.result(drained);
        assertThat(result.complete()).isTrue();
        assertThat(result.left()).isZero();
    }

    @Test
    void drainGivesUpAfterTheTimeoutNamingWhatIsLeft() {
        Optional<DrainTracker.Ticket> stuck = tracker.tryBegin("call");
        assertThat(stuck).isPresent();

        DrainTracker.DrainResult result = Await.result(tracker.drain(Duration.ofMillis(100)));

        assertThat(result.complete()).isFalse();
        assertThat(result.left()).isEqualTo(1);
        assertThat(result.leftIds()).containsExactly(stuck.get().id());
    }

    @Test
    void drainWithNothingLiveCompletesAtOnce() {
        assertThat(Await.result(tracker.drain(Duration.ofSeconds(20))).complete()).isTrue();
    }

    @Test
    void hooksAreAskedToStopAndTheDrainWaitsForThem() {
        AtomicBoolean asked = new AtomicBoolean();
        Promise<Void> engineIdle = Promise.promise();
        tracker.onDrain("call-engine", () -> {
            asked.set(true);
            return engineIdle.future();
        });

        Future<DrainTracker.DrainResult> drained = tracker.drain(Duration.ofSeconds(20));

        assertThat(asked).isTrue();
        assertThat(drained.isComplete()).isFalse();
        engineIdle.complete();
        assertThat(Await.result(drained).complete()).isTrue();
    }

    @Test
    void closingATicketTwiceCountsOnce() {
        DrainTracker.Ticket a = tracker.tryBegin("a").orElseThrow();
        tracker.tryBegin("b").orElseThrow();
        a.close();
        a.close();
        assertThat(tracker.inFlight()).isEqualTo(1);
    }
}

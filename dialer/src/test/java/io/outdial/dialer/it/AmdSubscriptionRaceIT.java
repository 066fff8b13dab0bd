package io.outdial.dialer.it;

import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.sandbox.pbx.CalleeScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine alone (no trunk health, so no endpoint subscription): an AMD call whose channel is gone before the
 * channel subscription can learn nothing of its end, but it is closed within the short grace, not by the watchdog.
 */
class AmdSubscriptionRaceIT {
    private final SandboxFixture f = new SandboxFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aChannelGoneBeforeTheSubscriptionEndsLostPromptly() {
        f.pbx.scripts().registerNumber("+15554441001", CalleeScript.busy(Duration.ZERO));
        long t0 = System.nanoTime();
        CallRecord r = f.call("+15554441001", null, f.amdTrunk, MachinePolicy.HANG_UP).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.LOST);
        assertThat(r.outcome().detail()).contains("before the AMD subscription");
        // ended by the failed subscription, not by the AMD trunk's 10 s originate timeout
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aSlowerBusyIsSeenThroughTheChannelSubscription() {
        f.pbx.scripts().registerNumber("+15554441002", CalleeScript.busy(Duration.ofMillis(300)));
        CallRecord r = f.call("+15554441002", null, f.amdTrunk, MachinePolicy.HANG_UP).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.BUSY);
    }
}

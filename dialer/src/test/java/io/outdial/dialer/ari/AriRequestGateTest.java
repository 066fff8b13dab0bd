package io.outdial.dialer.ari;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-flight cap: queued requests on live calls go before queued originates. */
class AriRequestGateTest {
    private final List<String> sent = new ArrayList<>();
    private final List<Promise<Void>> replies = new ArrayList<>();

    private Future<Void> request(String name) {
        sent.add(name);
        Promise<Void> p = Promise.promise();
        replies.add(p);
        return p.future();
    }

    @Test
    void queuedLiveCallRequestsOvertakeQueuedOriginatesInArrivalOrder() {
        AriRequestGate gate = new AriRequestGate(1); // one slot: originates may use it too
        gate.submit(() -> request("originate-1"), true);
        gate.submit(() -> request("originate-2"), true);
        gate.submit(() -> request("play-a"), false);
        gate.submit(() -> request("hangup-b"), false);
        assertThat(sent).containsExactly("originate-1");
        assertThat(gate.queued()).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            replies.get(i).complete();
        }

        assertThat(sent).containsExactly("originate-1", "play-a", "hangup-b", "originate-2");
        replies.get(3).complete();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.queued()).isZero();
    }

    @Test
    void originatesLeaveAQuarterOfTheSlotsToLiveCalls() {
        AriRequestGate gate = new AriRequestGate(4);
        for (int i = 0; i < 5; i++) {
            gate.submit(() -> request("originate"), true);
        }
        assertThat(sent).hasSize(3);

        gate.submit(() -> request("play"), false);

        assertThat(sent).hasSize(4).last().isEqualTo("play");
        assertThat(gate.queued()).isEqualTo(2);
        replies.get(3).complete();
        assertThat(sent).hasSize(4);
        replies.get(0).complete();
        assertThat(sent).hasSize(5).last().isEqualTo("originate");
    }
}

package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.support.FakeAri;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class TelephonyTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void tearDown() {
        vertx.close().await();
    }

    private static AriServerConfig cfg(String name, String url) {
        return new AriServerConfig(name, url, "dialer", "pw", "dialer", 16, Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(300));
    }

    @Test
    void callsGoToAReadyServerAndHealthListsEveryServerWithItsReason() {
        FakeAri up = new FakeAri(vertx).start(0).await();
        up.handler = r -> r.method().equals("POST") && r.path().equals("/channels")
                ? new FakeAri.Reply(200, "{}", FakeAri.transcriptEvents("102.jsonl", r.params().get("channelId")))
                : null;
        Telephony t = new Telephony(vertx, List.of(cfg("down", "http://127.0.0.1:1"), cfg("up", up.url())),
                PromptResolver.mediaOnly(), n -> null, Clock.systemUTC(), CallListener.NONE);
        t.start().await();
        assertThat(t.health()).extracting(AriHealth::server, AriHealth::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("down", AriHealth.State.DOWN),
                org.assertj.core.groups.Tuple.tuple("up", AriHealth.State.UP));
        assertThat(t.health().get(0).detail()).contains("connect");
        for (int i = 0; i < 3; i++) {
            CallRecord r = t.originate(new CallRequest("a" + i, null, "k", "+15551230000", Map.of(),
                    CallEngineTest.trunk(false), 1, null, null, null, null, Map.of())).await();
            assertThat(r.server()).isEqualTo("up");
            assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.BUSY);
        }
        assertThat(t.anyReady()).isTrue();
        t.stop().await();
    }
}

package io.outdial.dialer.dialing;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.TrunkHealth;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DialingTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private CallEngine engine(String name) {
        AriServer server = new AriServer(vertx, new AriServerConfig(name, "http://127.0.0.1:9", "u", "p", "app"),
            Clock.systemUTC());
        return new CallEngine(vertx, server, PromptResolver.mediaOnly(), n -> null, Clock.systemUTC(),
            CallListener.NONE);
    }

    @Test
    void noServerReadyIsAsteriskDownNamingEveryServer() {
        Dialing d = Dialing.of(List.of(engine("pbx1"), engine("pbx2")), TrunkHealth::alwaysUp);

        assertThat(d.pick("carrier")).isEmpty();
        WhyNotDialing why = d.unavailable("carrier");
        assertThat(why).isInstanceOf(WhyNotDialing.AsteriskDown.class);
        assertThat(why.message()).startsWith("Asterisk [pbx1, pbx2] is down: pbx1: ").contains("; pbx2: ");
    }

    @Test
    void oneServerIsNamedAlone() {
        Dialing d = Dialing.of(engine("sandbox"));
        assertThat(d.unavailable("carrier").message()).startsWith("Asterisk sandbox is down: ");
        assertThat(d.activeCalls()).isZero();
    }
}

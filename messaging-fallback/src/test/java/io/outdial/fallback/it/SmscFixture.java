package io.outdial.fallback.it;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/** A sandbox SMSC on loopback and an SMPP channel bound to it, collecting the channel's events. */
final class SmscFixture implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final SandboxSmsc smsc = new SandboxSmsc("outdial", "s3cret");
    final List<ChannelEvent> events = new CopyOnWriteArrayList<>();
    final SmppChannel channel;

    SmscFixture(UnaryOperator<SmscConfig> tune) throws IOException {
        int port = smsc.start();
        SmscConfig cfg = SmscConfig.of("sandbox", "127.0.0.1", port, "outdial", "SANDBOX_SMSC_PASSWORD", "Outdial")
                .withBinds(1, 10, 0)
                .withTimers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(50),
                        Duration.ofMillis(400), Duration.ofSeconds(30));
        channel = new SmppChannel(vertx, tune.apply(cfg), Map.of("SANDBOX_SMSC_PASSWORD", "s3cret")::get);
        channel.events(events::add);
        channel.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(channel::ready);
    }

    @Override
    public void close() {
        channel.stop().await();
        smsc.close();
        vertx.close().await();
    }
}

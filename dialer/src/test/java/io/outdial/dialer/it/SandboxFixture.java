package io.outdial.dialer.it;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The real sandbox PBX on loopback plus our ARI server connection and call engine. */
final class SandboxFixture implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final SandboxPbx pbx;
    final AriServer server;
    final CallEngine engine;
    final List<CallRecord> ended = new CopyOnWriteArrayList<>();
    final Trunk trunk;
    final Trunk amdTrunk;
    private final AtomicInteger ids = new AtomicInteger();

    SandboxFixture(Duration reconnectInitial) {
        pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        server = new AriServer(vertx, new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
                "dialer", 64, Duration.ofSeconds(3), Duration.ofMillis(500), reconnectInitial, Duration.ofSeconds(1)),
                Clock.systemUTC());
        trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000001"), false, 100,
                50, Duration.ofSeconds(3), false));
        amdTrunk = new Trunk(new TrunkConfig("amd", "PJSIP/{number}@carrier", List.of(), false, 100, 50,
                Duration.ofSeconds(10), true));
        Map<String, Trunk> trunks = Map.of("carrier", trunk, "amd", amdTrunk);
        engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), trunks::get, Clock.systemUTC(),
                new CallListener() {
                    @Override
                    public void onEnded(CallRecord record) {
                        ended.add(record);
                    }
                });
        server.start().await();
    }

    SandboxFixture() {
        this(Duration.ofMillis(200));
    }

    Future<CallRecord> call(String phone, FlowRunner flow) {
        return call(phone, flow, trunk, MachinePolicy.HANG_UP);
    }

    Future<CallRecord> call(String phone, FlowRunner flow, Trunk via, MachinePolicy policy) {
        String id = "it" + ids.incrementAndGet();
        return engine.originate(new CallRequest(id, "camp", "contact-" + id, phone, Map.of(), via, 1, null, null,
                policy, flow, Map.of()));
    }

    @Override
    public void close() {
        server.stop().await();
        pbx.close().await();
        vertx.close().await();
    }
}

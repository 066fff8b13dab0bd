package io.outdial.dialer.dialing;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallOutcome;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The sandbox PBX on loopback at a time scale, an ARI connection and a call engine on a runner clock. */
public final class RunnerHarness implements AutoCloseable {
    public final Vertx vertx = Vertx.vertx();
    public final SandboxPbx pbx;
    public final AriServer server;
    public final CallEngine engine;
    public final RunnerClock clock;
    public final Trunk trunk;
    /** The server, its engine and trunk health, composed as a node composes them. */
    public final TelephonyComponent telephony;
    /** Calls between the originate and the end, as the engine reports them. */
    public final AtomicInteger live = new AtomicInteger();
    public final AtomicInteger maxLive = new AtomicInteger();
    private final Set<String> seen = new HashSet<>();

    public RunnerHarness(Instant start, double scale, boolean amd) {
        clock = RunnerClock.virtual(start, scale);
        pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withTimeScale(scale)).await();
        AriServerConfig ari = new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(), "dialer",
                "dialer", "dialer", 256, Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofSeconds(1));
        telephony = TelephonyComponent.oneServer(vertx, clock, ari, new TrunkConfig("carrier",
                "PJSIP/{number}@carrier", List.of("+33100000001"), false, 100, 1000, Duration.ofSeconds(30), amd));
        telephony.usePromptResolver(PromptResolver.mediaOnly()).useCallListener(new CallListener() {
            @Override
            public void onStateChange(CallRecord r) {
                synchronized (seen) {
                    if (seen.add(r.attemptId())) {
                        maxLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                    }
                }
            }

            @Override
            public void onEnded(CallRecord r) {
                synchronized (seen) {
                    if (seen.remove(r.attemptId())) {
                        live.decrementAndGet();
                    }
                }
            }
        });
        telephony.start().await();
        engine = telephony.telephony().orElseThrow().engines().get(0);
        server = engine.server();
        trunk = telephony.trunk("carrier").orElseThrow();
        // as on a node: the trunk's endpoint subscription (endpointEvents) is in place before the first call
        if (trunk.config().endpointEvents()) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> telephony.subscribed(server.config().name(), trunk.name()));
        }
    }

    /**
     * The attempt outcome a runner records for a call that ended with {@code o} (its flow having goals): how tests
     * outside {@code dialing} check the mapping of the outcomes they produce.
     */
    public static AttemptOutcome attemptOutcome(CallOutcome o) {
        return OutcomeMapping.map(o).outcome();
    }

    /** The number of the {@code i}th contact of {@link #runningCampaign}. */
    public static String number(int i) {
        return String.format("+3361%07d", i);
    }

    /**
     * Creates campaign {@code id} in {@code ds}, moves it to RUNNING and adds {@code contacts} waiting contacts
     * {@code c0}, {@code c1}, ... (one mobile number each, {@link #number}), due since {@code due}.
     */
    public void runningCampaign(javax.sql.DataSource ds, String id, int contacts, Instant due) {
        io.outdial.dialer.campaign.JdbcCampaignStore campaigns = new io.outdial.dialer.campaign.JdbcCampaignStore(ds,
                clock);
        campaigns.create(io.outdial.dialer.campaign.Campaign.draft(id, id, due));
        campaigns.moveTo(campaigns.get(id).orElseThrow(), io.outdial.dialer.campaign.CampaignState.RUNNING, "test");
        List<io.outdial.dialer.contact.JdbcContactStore.NewContact> list = new java.util.ArrayList<>();
        for (int i = 0; i < contacts; i++) {
            list.add(new io.outdial.dialer.contact.JdbcContactStore.NewContact(id, "c" + i,
                    new io.outdial.dialer.contact.PhoneSet(List.of(new io.outdial.dialer.contact.Phone("mobile",
                            number(i), 0, false))), "UTC", Map.of(), io.outdial.dialer.contact.ContactState.WAITING,
                    null, due));
        }
        new io.outdial.dialer.contact.JdbcContactStore(ds).insertAll(list);
    }

    @Override
    public void close() {
        telephony.stop().await();
        pbx.close().await();
        vertx.close().await();
    }
}

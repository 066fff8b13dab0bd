package io.outdial.dialer.demo;

import io.outdial.dialer.app.Wiring;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.dialing.StoredFlows;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Wires the demo's simulated world into a node before it starts: when no Asterisk is configured, an embedded
 * sandbox PBX on loopback becomes the node's Asterisk ({@code asterisk:sandbox}, SIMULATED in {@code /ready}) with
 * a simulated carrier trunk ({@value #DEMO_TRUNK}). Everything added here is labelled SIMULATED in the log and in
 * {@code /ready}. The demo campaign ({@value #DEMO_CAMPAIGN}) is seeded on the first start and dialed by
 * {@link CampaignRunners} through the node's telephony ({@code campaign:demo} in {@code /ready}).
 */
public final class DemoSetup {
    /** Readiness label of the demo's Asterisk. */
    public static final String SIMULATED_LABEL = "sandbox PBX, simulated carrier";
    /** Name of the demo's simulated trunk. */
    public static final String DEMO_TRUNK = "carrier";
    /** ARI app name of the demo node. */
    public static final String DEMO_APP = "outdial-demo";
    /** Id of the demo campaign (examples/campaign-demo.yaml, bundled under {@code demo/} on the classpath). */
    public static final String DEMO_CAMPAIGN = "demo";
    private static final List<String> DEMO_FILES = List.of("campaign-demo.yaml", "contacts-demo.csv", "flow-demo.yaml");
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private DemoSetup() {
    }

    /** Adds the demo's simulated components and readiness entries to {@code app}. */
    public static void install(DialerApp app) {
        LOG.warn("SIMULATED: demo mode; no real calls or messages leave this machine");
        app.readiness().register("demo", () -> Future.succeededFuture(DependencyStatus.simulated(
            "demo mode: telephony is simulated on loopback (sandbox PBX)")));
        if (app.config().asterisk().isEmpty()) {
            installSandboxPbx(app);
        } else {
            LOG.info("demo: using the configured Asterisk server(s), no sandbox PBX");
        }
        // The demo campaign: seeded on the first start into <dataDir>/demo, then dialed by the node's runners.
        app.add(Wiring.seed(app, "demo", DEMO_FILES, Path.of(app.config().database().dataDir(), "demo")));
        // Everything a serving node has (flows API, prompts, TTS, stored flows for campaigns), plus the demo campaign.
        IvrWiring ivr = Wiring.ivr(app);
        CampaignRunners runners = Wiring.campaignRunners(app, CampaignOwnership.local(), new StoredFlows(app.vertx(), ivr));
        app.add(runners).add(Wiring.api(app, runners)).add(Wiring.web(app));
        LOG.warn("SIMULATED: demo campaign {} dials the 20 demo contacts on the sandbox PBX (outcome by the"
            + " number's last digit, docs/sandbox.md)", DEMO_CAMPAIGN);
    }

    /**
     * The demo's simulated trunk: the {@code trunk} section of the demo campaign file (demo/campaign-demo.yaml,
     * the same as examples/campaign-demo.yaml), so the caller id and line limits the file shows are the ones used.
     */
    static TrunkConfig demoTrunk() {
        return new TrunkConfig(DEMO_TRUNK, "PJSIP/{number}@carrier", List.of("+33100000001"), false, 30, 10,
            Duration.ofSeconds(25), false);
    }

    /**
     * Starts an embedded sandbox PBX on loopback (a free port, one-off credentials) and makes it the node's
     * Asterisk with a simulated carrier trunk. Blocks the calling (main) thread until the PBX listens.
     */
    static SandboxPbx installSandboxPbx(DialerApp app) {
        String user = "demo";
        String password = UUID.randomUUID().toString();
        SandboxPbx pbx = SandboxPbx.start(app.vertx(), SandboxPbxOptions.defaults().withHost("127.0.0.1")
            .withCredentials(user, password).withDialplanApp(DEMO_APP)).await();
        String url = "http://127.0.0.1:" + pbx.port();
        app.telephony().addSimulatedServer(new AriServerConfig("sandbox", url, user, password, DEMO_APP),
            SIMULATED_LABEL);
        TrunkConfig configured = app.telephony().trunk(DEMO_TRUNK).map(t -> t.config()).orElse(null);
        if (configured == null) {
            app.telephony().addTrunk(demoTrunk());
        } else {
            // a trunk of the same name in the node's config wins: say so, the campaign file reads otherwise
            LOG.warn("demo: trunk {} comes from the node's configuration (caller ids {}, {} lines, {} calls/s), not"
                + " from the demo campaign file (caller ids {}, {} lines, {} calls/s)", DEMO_TRUNK,
                configured.callerIds(), configured.maxLines(), configured.maxCps(), demoTrunk().callerIds(),
                demoTrunk().maxLines(), demoTrunk().maxCps());
        }
        LOG.warn("SIMULATED: Asterisk sandbox = embedded sandbox PBX ({}) at {}/ari (events {}), trunk {}",
            SIMULATED_LABEL, url, pbx.eventsUrl(), DEMO_TRUNK);
        return pbx;
    }
}

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
import io.vertx.core.Future;
import io.outdial.dialer.cascade.CascadeComponent;
import io.outdial.dialer.node.Component;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.PricePlan;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.outdial.dialer.config.ChatConfig;
import java.util.Map;
import java.util.function.Function;
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
    private static final List<String> DEMO_FILES = List.of("campaign-demo.yaml", "contacts-demo.csv", "flow-demo.yaml",
        "scheme-demo.yaml");
    /** Id of the demo's Viber campaign ({@code demo --viber}). */
    public static final String VIBER_CAMPAIGN = "demo-viber";
    private static final List<String> VIBER_FILES = List.of("campaign-demo-viber.yaml", "contacts-demo-viber.csv",
        "flow-demo.yaml", "scheme-demo-viber.yaml");
    /** Name of the demo's sandbox SMSC ({@code smsc:sandbox} in {@code /ready}). */
    public static final String DEMO_SMSC = "sandbox";
    /** The demo's price plan, in minor units: an SMS part costs 5, a call nothing (SIMULATED, shown in the log). */
    public static final PricePlan DEMO_PRICES = new PricePlan(Map.of(ChannelType.SMS, 5L), false);
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private DemoSetup() {
    }

    /** Adds the demo's simulated components and readiness entries to {@code app}. */
    public static void install(DialerApp app) {
        install(app, false);
    }

    /**
     * As {@link #install(DialerApp)}; with {@code viber} ({@code demo --viber}) also an embedded sandbox Viber peer
     * ({@code viber:sandbox}, SIMULATED; unless the node's config has a {@code chat.viber} section) and the Viber
     * campaign ({@value #VIBER_CAMPAIGN}: Viber, then the call where the message was not seen, then SMS).
     */
    public static void install(DialerApp app, boolean viber) {
        LOG.warn("SIMULATED: demo mode; no real calls or messages leave this machine");
        app.readiness().register("demo", () -> Future.succeededFuture(DependencyStatus.simulated(
            "demo mode: telephony is simulated on loopback (sandbox PBX)")));
        SandboxPbx pbx = null;
        if (app.config().asterisk().isEmpty()) {
            pbx = installSandboxPbx(app);
        } else {
            LOG.info("demo: using the configured Asterisk server(s), no sandbox PBX");
        }
        // The demo campaign: seeded on the first start into <dataDir>/demo, then dialed by the node's runners.
        app.add(Wiring.seed(app, "demo", DEMO_FILES, Path.of(app.config().database().dataDir(), "demo")));
        if (viber) {
            app.add(Wiring.seed(app, "demo", VIBER_FILES, Path.of(app.config().database().dataDir(), "demo")));
        }
        // Everything a serving node has (flows API, prompts, TTS, stored flows for campaigns), plus the demo campaign.
        IvrWiring ivr = Wiring.ivr(app);
        CampaignRunners runners = Wiring.campaignRunners(app, CampaignOwnership.local(),
            CampaignRunners.FlowSource.stored(app.vertx(), ivr));
        app.add(runners);
        // flow tries: on the sandbox PBX (a remote-controlled callee per try); refused (409) on a real Asterisk
        app.add(Wiring.tries(app, ivr, pbx == null ? null : new SandboxTryLines(pbx, "sandbox", DEMO_TRUNK)));
        installCascade(app, viber && app.config().chat().viber() == null ? DemoViber.install(app) : null);
        app.add(Wiring.api(app, runners)).add(Wiring.web(app));
        LOG.warn("SIMULATED: demo campaign {} dials the 20 demo contacts on the sandbox PBX (outcome by the"
            + " number's last digit, docs/sandbox.md)", DEMO_CAMPAIGN);
    }

    /**
     * Messaging fallback: over the configured SMSCs, or, without an {@code smsc} section, over an embedded sandbox
     * SMSC on loopback ({@value #DEMO_SMSC}, SIMULATED in {@code /ready}) that delivers every SMS.
     */
    static CascadeComponent installCascade(DialerApp app) {
        return installCascade(app, null);
    }

    /** As above, with the sandbox Viber peer's chat channels when {@code viber} is not null. */
    static CascadeComponent installCascade(DialerApp app, DemoViber viber) {
        ChatConfig chat = viber == null ? app.config().chat() : viber.chat(app.config().chat());
        Function<String, String> chatEnv = viber == null ? System::getenv : viber.env(System::getenv);
        if (!app.config().smsc().isEmpty()) {
            LOG.info("demo: SMS go to the configured SMSC(s)");
            return Wiring.cascade(app, app.config().smsc(), chatEnv, List.of(), app.config().pricePlan(), chat);
        }
        String password = UUID.randomUUID().toString().substring(0, 8);
        SandboxSmsc smsc = new SandboxSmsc("outdial", password);
        int port;
        try {
            port = smsc.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the sandbox SMSC cannot listen on loopback: " + e.getMessage(), e);
        }
        app.add(sidecar("sandbox-smsc", () -> { }, smsc::close));
        SmscConfig cfg = SmscConfig.of(DEMO_SMSC, "127.0.0.1", port, "outdial", "OUTDIAL_SANDBOX_SMSC_PASSWORD",
            "Outdial");
        LOG.warn("SIMULATED: SMSC {} = embedded sandbox SMSC on 127.0.0.1:{}; every SMS is delivered, none leaves"
            + " this machine; demo prices: {} minor units per SMS part", DEMO_SMSC, port, DEMO_PRICES.price(
            ChannelType.SMS));
        return Wiring.cascade(app, List.of(cfg), name -> name.equals("OUTDIAL_SANDBOX_SMSC_PASSWORD") ? password
            : chatEnv.apply(name), List.of(DEMO_SMSC), DEMO_PRICES, chat);
    }

    /** A component that runs {@code onStart} after the node's HTTP server listens and {@code onStop} at its stop. */
    static Component sidecar(String name, Runnable onStart, Runnable onStop) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<Void> start() {
                onStart.run();
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> stop() {
                onStop.run();
                return Future.succeededFuture();
            }
        };
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

package io.outdial.dialer.app;

import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.cascade.CascadeComponent;
import io.outdial.dialer.config.ChatConfig;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.engine.EngineOptions;
import io.outdial.fallback.engine.PricePlan;
import java.util.function.Function;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.cluster.ClusterNode;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.doctor.Doctor;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.node.Component;
import io.outdial.dialer.prompt.PromptMedia;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The node's components built from a {@link DialerApp}: each gets the services it uses, never the node itself.
 * {@code serve}, {@code demo} and the tests wire a node through these methods.
 */
public final class Wiring {
    private Wiring() {
    }

    /** Adds prompt media and the flow API to {@code app} (before {@code start()}); media is its prompt resolver. */
    public static IvrWiring ivr(DialerApp app) {
        IvrWiring ivr = IvrWiring.create(app.vertx(), app.database(), app.clock(),
            app.config().media().withDefaultDir(app.config().database().dataDir()), () -> listenerUrl(app),
            app.meterRegistry());
        app.add(ivr.media());
        // say and prompt: nodes of every call on this node resolve through it (sound:http://<node>/media/...)
        app.telephony().usePromptResolver(ivr.media());
        app.add(ivr.flows());
        return ivr;
    }

    /**
     * Flow tries (docs/ui.md, Try a flow): stored flows run on this node's call engine against {@code lines}
     * (the demo's sandbox PBX); null refuses every try with 409. Add it before the API.
     */
    public static io.outdial.dialer.flowtry.FlowTries tries(DialerApp app, IvrWiring ivr,
                                                            io.outdial.dialer.flowtry.TryLines lines) {
        return new io.outdial.dialer.flowtry.FlowTries(app.vertx(), app.telephony(), ivr::store,
            ivr.media(), lines, io.outdial.dialer.flowtry.FlowTries.Limits.defaults(), app.clock())
            .withStreamCheck(app.security()::endWhenRefused);
    }

    /** The dialing component over every campaign, flows from files only. */
    public static CampaignRunners campaignRunners(DialerApp app) {
        return campaignRunners(app, CampaignOwnership.local(), null);
    }

    /**
     * The dialing component over the campaigns {@code ownership} gives this node; {@code flows} may be null. In a
     * cluster ({@code cluster.joinEnabled}) its line leases and rate windows are the cluster's and it reconciles
     * only its own and dead nodes' attempts; a node alone keeps them in memory.
     */
    public static CampaignRunners campaignRunners(DialerApp app, CampaignOwnership ownership,
                                                  CampaignRunners.FlowSource flows) {
        ClusterNode cluster = app.cluster();
        CampaignRunners runners = new CampaignRunners(new CampaignRunners.Services(app.vertx(), app.config().dialing(),
            app.telephony(), app.database(), app.readiness(), app.drain(), app.meterRegistry(),
            cluster::memberId, app.clock()), ownership, flows);
        runners.useScope(cluster::alive, cluster::shared);
        if (cluster.shared()) {
            runners.usePacing(cluster.pacing());
        }
        // a state change or a replaced definition given to any node's API is read by every node at once (the owner
        // pauses, or starts a SCHEDULED campaign whose start time came, at once)
        app.cluster().onCampaignChanged(id -> runners.reconcileSoon());
        // contacts imported, added, edited or deleted through any node's API: the owner counts and picks them at once
        app.cluster().onContactsChanged(runners::contactsChanged);
        return runners;
    }

    /** The campaigns this node dials: in a cluster, those whose owner lease it holds ({@link ClusterOwnership}). */
    public static CampaignOwnership ownership(DialerApp app) {
        return app.cluster().shared() ? new ClusterOwnership(app.cluster(), app.clock(),
            java.util.Set.of(CascadeComponent.LEASE)) : CampaignOwnership.local();
    }

    /**
     * Messaging fallback over the node's SMSCs (the {@code smsc} section; passwords from the environment): the
     * cascade engine, its stores, the scheme and run API, {@code smsc:<name>} in {@code /ready}, counters in
     * {@code /metrics}, and the chat channels of the {@code chat} section with their inbound webhooks under
     * {@code /hooks/}. Add it after the dialing component (whose runners it gates) and before the API.
     */
    public static CascadeComponent cascade(DialerApp app) {
        return cascade(app, app.config().smsc(), System::getenv, List.of(), app.config().pricePlan());
    }

    /**
     * As {@link #cascade(DialerApp)} over the given SMSCs, their passwords read through {@code env}; the SMSCs named
     * in {@code simulated} show as SIMULATED in {@code /ready} (the demo's and the headless run's sandbox SMSC).
     * The chat channels are those of the node's {@code chat} section, their secrets also read through {@code env}.
     */
    public static CascadeComponent cascade(DialerApp app, List<SmscConfig> smsc, Function<String, String> env,
                                           List<String> simulated, PricePlan prices) {
        return cascade(app, smsc, env, simulated, prices, app.config().chat());
    }

    /** As above with the chat channels of {@code chat} (the demo's sandbox Viber peer) instead of the node's. */
    public static CascadeComponent cascade(DialerApp app, List<SmscConfig> smsc, Function<String, String> env,
                                           List<String> simulated, PricePlan prices, ChatConfig chat) {
        CascadeComponent c = new CascadeComponent(new CascadeComponent.Services(app.vertx(), app.database(),
            app.clock(), app.readiness(), app.meterRegistry(), smsc, env, simulated, EngineOptions.defaults().withPrices(prices),
            chat));
        if (app.cluster().shared()) {
            // one node runs the cascades: the holder of the cascade lease (expires with a dead node)
            c.withLeadership(() -> app.cluster().own(CascadeComponent.LEASE, true));
        }
        app.add(c);
        // a campaign whose scheme starts with a message dials a contact only once its run reached the voice block
        app.component(CampaignRunners.class).ifPresent(r -> r.useGate(c.dialGate()));
        return c;
    }

    /** The API of {@code app}, asking {@code runners} (may be null: no dialing on this node) for live reasons. */
    public static ApiRoutes api(DialerApp app, CampaignRunners runners) {
        return new ApiRoutes(app.vertx(), app.database()::dataSource, app.clock(),
            Path.of(app.config().database().dataDir(), "api-uploads"),
            runners == null ? id -> Optional.empty() : runners::runner, () -> app.cluster().memberId(),
            app.config().maxUploadBytes(), app.drain())
            .withImportLimits(app.config().importLimits())
            .withNode(app.telephony(), runners == null ? null : runners.flowSource())
            .withImportOwners(n -> app.cluster().memberIds().contains(n), app.config().database().embedded())
            .withImportReaders(app.importReaders())
            .withCampaignChanges(app.cluster()::campaignChanged)
            .withContactChanges(app.cluster()::contactsChanged)
            .withDoctor(() -> doctor(app)).withDatabaseHealth(app.database()::reachable);
    }

    /** The web UI (docs/ui.md): the page at {@code /} and its live feed over the node's meters. */
    public static io.outdial.dialer.web.WebUi web(DialerApp app) {
        io.outdial.dialer.web.WebUi web = new io.outdial.dialer.web.WebUi(app.vertx(), app.meterRegistry(), app.clock());
        web.withFeed(app.cluster()::liveView, app.security()::endWhenRefused);
        return web;
    }

    /** The doctor of the started node {@code app}. */
    public static Doctor doctor(DialerApp app) {
        // calls get their TTS from the flows, which render through the node's media: the doctor does the same
        PromptResolver prompts = app.component(PromptMedia.class).map(m -> (PromptResolver) m).orElse(null);
        return Doctor.forNode(app.vertx(), app.telephony(), app.config().media(), listenerUrl(app), prompts,
            app.database().dataSource(), app.config().database().embedded(), app.clock());
    }

    /** Seeds the campaign in {@code files} (classpath folder {@code resourceDir}) once, copied to {@code target}. */
    public static Component seed(DialerApp app, String resourceDir, List<String> files, Path target) {
        return new CampaignSeed(app.vertx(), app.database(), app.clock(), app.importReaders(), resourceDir, files,
            target);
    }

    /** Daemon threads named {@code <prefix>-<n>}, for a pool that is not a Vert.x worker pool. */
    public static ThreadFactory threads(String prefix) {
        return new NamedThreads(prefix);
    }

    /** The node's HTTP listener as other hosts on this machine reach it. */
    static String listenerUrl(DialerApp app) {
        String host = app.config().http().host();
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + reachable + ":" + app.httpPort();
    }
}

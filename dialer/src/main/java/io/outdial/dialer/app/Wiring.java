package io.outdial.dialer.app;

import io.outdial.dialer.api.ApiRoutes;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.campaign.CampaignSeed;
import io.outdial.dialer.dialing.CampaignOwnership;
import io.outdial.dialer.dialing.CampaignRunners;
import io.outdial.dialer.doctor.Doctor;
import io.outdial.dialer.flow.IvrWiring;
import io.outdial.dialer.prompt.PromptMedia;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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

    /** The dialing component over every campaign, flows from files only. */
    public static CampaignRunners campaignRunners(DialerApp app) {
        return campaignRunners(app, CampaignOwnership.local(), null);
    }

    /** The dialing component over the campaigns {@code ownership} gives this node; {@code flows} may be null. */
    public static CampaignRunners campaignRunners(DialerApp app, CampaignOwnership ownership,
                                                  CampaignRunners.FlowSource flows) {
        return new CampaignRunners(new CampaignRunners.Services(app.vertx(), app.config().dialing(),
            app.telephony(), app.database(), app.readiness(), app.drain(), app.meterRegistry(),
            () -> app.cluster().memberId(), app.clock()), ownership, flows);
    }

    /** The API of {@code app}, asking {@code runners} (may be null: no dialing on this node) for live reasons. */
    public static ApiRoutes api(DialerApp app, CampaignRunners runners) {
        return new ApiRoutes(app.vertx(), app.database()::dataSource, app.clock(),
            Path.of(app.config().database().dataDir(), "api-uploads"),
            runners == null ? id -> Optional.empty() : runners::runner, () -> app.cluster().memberId(),
            ApiRoutes.DEFAULT_MAX_UPLOAD, app.drain())
            .withNode(app.telephony(), runners == null ? null : runners.flowSource())
            .withImportOwners(n -> app.cluster().memberIds().contains(n), app.config().database().embedded())
            .withImportReaders(app.importReaders())
            .withDoctor(() -> doctor(app)).withDatabaseHealth(app.database()::reachable);
    }

    /** The web UI (docs/ui.md): the page at {@code /} and its live feed over the node's meters. */
    public static io.outdial.dialer.web.WebUi web(DialerApp app) {
        return new io.outdial.dialer.web.WebUi(app.vertx(), app.meterRegistry(), app.clock());
    }

    /** The doctor of the started node {@code app}. */
    public static Doctor doctor(DialerApp app) {
        // calls get their TTS from the flows, which render through the node's media: the doctor does the same
        PromptResolver prompts = app.component(PromptMedia.class).map(m -> (PromptResolver) m).orElse(null);
        return Doctor.forNode(app.vertx(), app.telephony(), app.config().media(), listenerUrl(app), prompts,
            app.database().dataSource(), app.config().database().embedded(), app.clock());
    }

    /** Seeds the campaign in {@code files} (classpath folder {@code resourceDir}) once, copied to {@code target}. */
    public static CampaignSeed seed(DialerApp app, String resourceDir, List<String> files, Path target) {
        return new CampaignSeed(app.vertx(), app.database(), app.clock(), app.importReaders(), resourceDir, files,
            target);
    }

    /** The node's HTTP listener as other hosts on this machine reach it. */
    static String listenerUrl(DialerApp app) {
        String host = app.config().http().host();
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + reachable + ":" + app.httpPort();
    }
}

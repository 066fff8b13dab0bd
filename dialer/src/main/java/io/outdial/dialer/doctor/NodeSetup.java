package io.outdial.dialer.doctor;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import java.util.List;

/** The doctor's setup for a running node: its telephony, prompts, media address, database and connections. */
final class NodeSetup {
    private NodeSetup() {
    }

    static DoctorSetup of(DialerApp app) {
        TelephonyComponent t = app.telephony();
        List<TrunkConfig> trunks = t.trunks().values().stream().map(Trunk::config).toList();
        MediaConfig media = app.config().media();
        String host = app.config().http().host();
        String reachable = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        String baseUrl = media.baseUrl().isEmpty() ? "http://" + reachable + ":" + app.httpPort() : media.baseUrl();
        // calls get their TTS from the flows, which render through the node's media: the doctor does the same
        PromptResolver prompts = app.component(PromptMedia.class).map(m -> (PromptResolver) m).orElse(null);
        return new DoctorSetup(t.servers(), trunks, trunks.stream().anyMatch(TrunkConfig::amd), prompts,
            baseUrl, media.soundDir(), DatabaseProbe.of(app.database().dataSource(), app.config().database()
                .embedded() ? "embedded H2" : "the node's pool"), server -> health(t, server), null, null,
            app.clock(), null, null);
    }

    private static AriHealth health(TelephonyComponent t, String server) {
        Telephony running = t.telephony().orElse(null);
        CallEngine e = running == null ? null : running.engine(server);
        return e == null ? null : e.server().health();
    }
}

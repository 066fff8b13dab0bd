package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;

/** The doctor's setup for a running node: its telephony, prompts, media address, database and connections. */
final class NodeSetup {
    private NodeSetup() {
    }

    static DoctorSetup of(TelephonyComponent t, MediaConfig media, String listenerUrl, PromptResolver prompts,
                          DataSource dataSource, boolean embedded, Clock clock) {
        List<TrunkConfig> trunks = t.trunks().values().stream().map(Trunk::config).toList();
        String baseUrl = media.baseUrl().isEmpty() ? listenerUrl : media.baseUrl();
        return new DoctorSetup(t.servers(), trunks, trunks.stream().anyMatch(TrunkConfig::amd), prompts,
            baseUrl, media.soundDir(), DatabaseProbe.of(dataSource, embedded ? "embedded H2" : "the node's pool"),
            server -> health(t, server), null, null, clock, null, null);
    }

    private static AriHealth health(TelephonyComponent t, String server) {
        Telephony running = t.telephony().orElse(null);
        CallEngine e = running == null ? null : running.engine(server);
        return e == null ? null : e.server().health();
    }
}

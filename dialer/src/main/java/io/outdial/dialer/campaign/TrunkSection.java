package io.outdial.dialer.campaign;

import static io.outdial.dialer.campaign.DefinitionBinder.or;
import static io.outdial.dialer.campaign.DefinitionBinder.whole;

import io.outdial.dialer.trunk.TrunkConfig;
import java.time.Duration;
import java.util.List;

/** The {@code trunk} section of a campaign definition; the {@link TrunkConfig} it makes checks the rest. */
record TrunkSection(String name, String endpoint, List<String> callerIds, Boolean rotateCallerId, Long maxLines,
                    Double maxCps, Duration originateTimeout, Boolean amd) {
    TrunkSection {
        whole("maxLines", maxLines, 30, 1);
        // TrunkConfig's own checks: a refusal names this section
        config(name, endpoint, callerIds, rotateCallerId, maxLines, maxCps, originateTimeout, amd);
    }

    TrunkConfig config() {
        return config(name, endpoint, callerIds, rotateCallerId, maxLines, maxCps, originateTimeout, amd);
    }

    private static TrunkConfig config(String name, String endpoint, List<String> callerIds, Boolean rotateCallerId,
                                      Long maxLines, Double maxCps, Duration originateTimeout, Boolean amd) {
        return new TrunkConfig(or(name, "carrier"), or(endpoint, "PJSIP/{number}@carrier"),
            callerIds == null ? List.of() : callerIds, or(rotateCallerId, false), whole("maxLines", maxLines, 30, 1),
            or(maxCps, 10.0), or(originateTimeout, Duration.ofSeconds(30)), or(amd, false));
    }
}

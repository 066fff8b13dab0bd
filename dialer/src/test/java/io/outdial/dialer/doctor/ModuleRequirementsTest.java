package io.outdial.dialer.doctor;

import io.outdial.dialer.trunk.TrunkConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModuleRequirementsTest {
    private static TrunkConfig trunk(String pattern) {
        return new TrunkConfig("t", pattern, List.of(), false, 1, 1, Duration.ofSeconds(5), false);
    }

    @Test
    void resWebsocketClientIsNeededFromTheReleasesThatMadeResAriDependOnIt() {
        assertThat(ModuleRequirements.websocketClientRequired("22.10.1")).isTrue();
        assertThat(ModuleRequirements.websocketClientRequired("22.5.0")).isTrue();
        assertThat(ModuleRequirements.websocketClientRequired("22.4.1")).isFalse();
        assertThat(ModuleRequirements.websocketClientRequired("21.10.0")).isTrue();
        assertThat(ModuleRequirements.websocketClientRequired("20.14.0")).isFalse();
        assertThat(ModuleRequirements.websocketClientRequired("certified-20.7-cert5")).isFalse();
        assertThat(ModuleRequirements.websocketClientRequired("23.0.0")).isTrue();
        assertThat(ModuleRequirements.websocketClientRequired(null)).isFalse();
    }

    @Test
    void amdAndEachTrunksChannelDriverAreAddedWhenUsed() {
        var plain = ModuleRequirements.of("22.10.1", false, List.of(trunk("Local/{number}@out")));
        assertThat(plain).containsKeys("res_ari", "res_ari_channels", "res_stasis", "app_stasis",
            "res_http_media_cache", "format_wav", "codec_resample", "res_websocket_client")
            .doesNotContainKeys("app_amd", "chan_local");
        var amd = ModuleRequirements.of("22.10.1", true, List.of(trunk("PJSIP/{number}@carrier")));
        assertThat(amd).containsKeys("app_amd", "chan_pjsip");
    }

    @Test
    void listedNamesLoseTheirSuffix() {
        assertThat(ModuleRequirements.bare("res_ari.so")).isEqualTo("res_ari");
        assertThat(ModuleRequirements.bare("APP_AMD")).isEqualTo("app_amd");
    }

    @Test
    void causesAndDialStatusesReadAsPlainWords() {
        assertThat(TestCall.words(17, null)).isEqualTo("busy");
        assertThat(TestCall.words(19, null)).isEqualTo("no answer");
        assertThat(TestCall.words(1, null)).isEqualTo("invalid number");
        assertThat(TestCall.words(21, null)).isEqualTo("rejected");
        assertThat(TestCall.words(34, null)).isEqualTo("congestion");
        assertThat(TestCall.words(0, "BUSY")).isEqualTo("busy");
        assertThat(TestCall.words(16, null)).isEqualTo("failed");
    }
}

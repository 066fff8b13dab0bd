package io.outdial.fallback.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.fallback.scheme.ChannelType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsentTest {

    private static boolean granted(String value) {
        Map<String, String> fields = value == null ? Map.of() : Map.of("consent_whatsapp", value);
        return Consent.granted(new Recipient("c", "+79001234567", fields), ChannelType.WHATSAPP);
    }

    @Test
    void aDateSourceOrYesIsConsentAndMissingBlankOrANoIsNot() {
        assertThat(granted("2026-01-10T12:00:00Z web form")).isTrue();
        assertThat(granted("yes")).isTrue();
        assertThat(granted(null)).isFalse();
        assertThat(granted(" ")).isFalse();
        for (String no : new String[] {"no", "NO", "false", "0", "n", "revoked", " Revoked "}) {
            assertThat(granted(no)).as(no).isFalse();
        }
        assertThat(Consent.field(ChannelType.VIBER)).isEqualTo("consent_viber");
        assertThat(ChannelType.WHATSAPP.requiresOptIn()).isTrue();
        assertThat(ChannelType.VIBER.requiresOptIn()).isFalse();
        assertThat(ChannelType.SMS.requiresOptIn()).isFalse();
    }
}

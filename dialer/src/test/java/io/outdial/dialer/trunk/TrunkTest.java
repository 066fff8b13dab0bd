package io.outdial.dialer.trunk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrunkTest {
    private static final List<String> IDS = List.of("+15550000001", "+15550000002", "+15550000003");

    private static Trunk trunk(boolean rotate) {
        return new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", IDS, rotate, 30, 5.0,
                Duration.ofSeconds(25), false));
    }

    @Test
    void endpointReplacesTheNumberPlaceholder() {
        assertThat(trunk(false).endpoint("+15551234567")).isEqualTo("PJSIP/+15551234567@carrier");
    }

    @Test
    void undialableNumberIsRejectedNamingTrunkAndNumber() {
        assertThatThrownBy(() -> trunk(false).endpoint("555&x")).hasMessageContaining("carrier")
                .hasMessageContaining("555&x");
    }

    @Test
    void callerIdStaysTheSameAcrossAContactsRetriesWithoutRotation() {
        Trunk t = trunk(false);
        String first = t.callerIdFor("contact-42", 1);
        for (int attempt = 2; attempt <= 6; attempt++) {
            assertThat(t.callerIdFor("contact-42", attempt)).isEqualTo(first);
        }
        Set<String> spread = new HashSet<>();
        for (int c = 0; c < 30; c++) {
            spread.add(t.callerIdFor("contact-" + c, 1));
        }
        assertThat(spread).as("contacts spread over the list").hasSize(3);
    }

    @Test
    void rotationGivesEachRetryTheNextCallerId() {
        Trunk t = trunk(true);
        Set<String> seen = new HashSet<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            seen.add(t.callerIdFor("contact-42", attempt));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(IDS);
        assertThat(t.callerIdFor("contact-42", 4)).isEqualTo(t.callerIdFor("contact-42", 1));
    }

    @Test
    void trunkWithoutCallerIdsPresentsNone() {
        Trunk t = new Trunk(new TrunkConfig("t", "PJSIP/{number}@x", List.of(), false, 1, 1, null, false));
        assertThat(t.callerIdFor("c", 1)).isNull();
        assertThat(t.originateTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void patternWithoutPlaceholderAndZeroLimitsAreRejected() {
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/carrier", IDS, false, 1, 1, null, false))
                .hasMessageContaining("{number}");
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/{number}@c", IDS, false, 0, 1, null, false))
                .hasMessageContaining("maxLines 0");
        assertThatThrownBy(() -> new TrunkConfig("t", "PJSIP/{number}@c", IDS, false, 1, 0, null, false))
                .hasMessageContaining("maxCps");
    }
}

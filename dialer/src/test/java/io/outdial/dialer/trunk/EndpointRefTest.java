package io.outdial.dialer.trunk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointRefTest {

    @Test
    void pjsipNumberAtPeerGivesThePeer() {
        assertThat(EndpointRef.ofPattern("PJSIP/{number}@carrier")).contains(new EndpointRef("PJSIP", "carrier"));
        assertThat(EndpointRef.ofPattern("PJSIP/{number}@carrier-2/sip:x")).contains(new EndpointRef("PJSIP",
                "carrier-2"));
        assertThat(EndpointRef.ofPattern("SIP/{number}@peer;transport=tcp")).contains(new EndpointRef("SIP", "peer"));
    }

    @Test
    void peerSlashNumberGivesThePeer() {
        assertThat(EndpointRef.ofPattern("SIP/carrier/{number}")).contains(new EndpointRef("SIP", "carrier"));
        assertThat(EndpointRef.ofPattern("PJSIP/carrier/sip:{number}@10.0.0.1")).contains(new EndpointRef("PJSIP",
                "carrier"));
        assertThat(EndpointRef.ofPattern("IAX2/trunk/{number}")).contains(new EndpointRef("IAX2", "trunk"));
    }

    @Test
    void localChannelsAndPatternsWithoutAFixedResourceHaveNone() {
        assertThat(EndpointRef.ofPattern("Local/{number}@callee")).isEmpty();
        assertThat(EndpointRef.ofPattern("local/{number}@from-dialer/n")).isEmpty();
        assertThat(EndpointRef.ofPattern("PJSIP/{number}")).isEmpty();
        assertThat(EndpointRef.ofPattern("PJSIP/{number}@")).isEmpty();
        assertThat(EndpointRef.ofPattern("PJSIP/{number}@{number}")).isEmpty();
        assertThat(EndpointRef.ofPattern("SIP/{number}x/y")).isEmpty();
        assertThat(EndpointRef.ofPattern(null)).isEmpty();
    }

    @Test
    void eventSourceAndTrunkConfigUseIt() {
        assertThat(new EndpointRef("PJSIP", "carrier").eventSource()).isEqualTo("endpoint:PJSIP/carrier");
        TrunkConfig c = new TrunkConfig("t", "PJSIP/{number}@carrier", List.of(), false, 1, 1, null, false);
        assertThat(c.fixedEndpoint()).contains(new EndpointRef("PJSIP", "carrier"));
        assertThat(c.endpointPollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.breakerFailures()).isEqualTo(10);
        assertThat(c.breakerOpenFor()).isEqualTo(Duration.ofSeconds(30));
    }
}

package io.outdial.bench.fullstack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WireCaptureTest {
    @Test
    void aPacketHeaderLineGivesItsTimeInMicroseconds() {
        assertThat(WireCapture.headerMicros("1765101234.000042 IP 127.0.0.1.40000 > 127.0.0.1.8088: Flags [P.]"))
            .isEqualTo(1_765_101_234_000_042L);
        assertThat(WireCapture.headerMicros("1765101234.5 IP 127.0.0.1.40000 > 127.0.0.1.8088")).isEqualTo(-1);
        assertThat(WireCapture.headerMicros("POST /ari/channels?endpoint=PJSIP HTTP/1.1")).isEqualTo(-1);
        assertThat(WireCapture.headerMicros("....a...POST /ari/channels. 1765101234.000042 IP")).isEqualTo(-1);
        assertThat(WireCapture.headerMicros("")).isEqualTo(-1);
    }
}

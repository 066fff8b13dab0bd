package io.outdial.fallback.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsSplitTest {

    @Test
    void gsmTextUpTo160SeptetsIsOnePart() {
        SmsSplit s = SmsSplit.of("a".repeat(160));
        assertThat(s.encoding()).isEqualTo(SmsEncoding.GSM7);
        assertThat(s.segments()).isEqualTo(1);
        assertThat(SmsSplit.of("a".repeat(161)).segments()).isEqualTo(2);
    }

    @Test
    void concatenatedGsmPartsHold153Septets() {
        assertThat(SmsSplit.of("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsSplit.of("a".repeat(307)).segments()).isEqualTo(3);
        assertThat(SmsSplit.of("a".repeat(307)).parts().get(0)).hasSize(153);
    }

    @Test
    void extensionCharactersTakeTwoSeptetsAndAreNeverSplit() {
        assertThat(SmsSplit.of("€".repeat(80)).units()).isEqualTo(160);
        assertThat(SmsSplit.of("€".repeat(80)).segments()).isEqualTo(1);
        assertThat(SmsSplit.of("€".repeat(81)).segments()).isEqualTo(2);
        // 152 plain septets then an escape pair: the pair moves whole to part two
        SmsSplit s = SmsSplit.of("a".repeat(152) + "[" + "b".repeat(10));
        assertThat(s.parts().get(0)).isEqualTo("a".repeat(152));
        assertThat(s.parts().get(1)).startsWith("[");
    }

    @Test
    void cyrillicGoesAsUcs2With70And67() {
        SmsSplit one = SmsSplit.of("д".repeat(70));
        assertThat(one.encoding()).isEqualTo(SmsEncoding.UCS2);
        assertThat(one.segments()).isEqualTo(1);
        assertThat(SmsSplit.of("д".repeat(71)).segments()).isEqualTo(2);
        assertThat(SmsSplit.of("д".repeat(134)).segments()).isEqualTo(2);
        assertThat(SmsSplit.of("д".repeat(135)).segments()).isEqualTo(3);
    }

    @Test
    void surrogatePairsStayInOnePart() {
        SmsSplit s = SmsSplit.of("x".repeat(66) + "😀" + "y".repeat(10));
        assertThat(s.parts().get(0)).isEqualTo("x".repeat(66));
        assertThat(s.parts().get(1)).startsWith("😀");
    }

    @Test
    void gsmEncodingRoundTripsIncludingExtensionTable() {
        String text = "Hello {world} [x] ~ | ^ € \\ @£$ Ñ";
        assertThat(Gsm7.encodable(text)).isTrue();
        assertThat(Gsm7.decode(Gsm7.encode(text))).isEqualTo(text);
        assertThat(Gsm7.encode("€")).containsExactly(0x1B, 0x65);
    }
}

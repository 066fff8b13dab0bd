package io.outdial.fallback.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.sms.SmsSplit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmppPartsTest {

    @Test
    void receiptTextIsParsedIntoIdStatAndErr() {
        DeliveryReceipts.Receipt r = DeliveryReceipts.parse("id:0A1B2C sub:001 dlvrd:000 submit date:2603020900 "
                + "done date:2603020901 stat:UNDELIV err:013 text:Hello", null);
        assertThat(r.id()).isEqualTo("0A1B2C");
        assertThat(r.status()).isEqualTo(Status.UNDELIVERED);
        assertThat(r.err()).isEqualTo("013");
        assertThat(DeliveryReceipts.parse("id:1 stat:DELIVRD err:000", null).status()).isEqualTo(Status.DELIVERED);
        assertThat(DeliveryReceipts.parse("id:1 stat:EXPIRED", null).status()).isEqualTo(Status.EXPIRED);
        assertThat(DeliveryReceipts.parse("id:1 stat:REJECTD", null).status()).isEqualTo(Status.REJECTED);
        assertThat(DeliveryReceipts.parse("id:1 stat:ENROUTE", null).status()).isNull();
        assertThat(DeliveryReceipts.parse("id:1 stat:DELIVRD", "tlv-id").id()).isEqualTo("tlv-id");
        assertThat(DeliveryReceipts.parse("hello", null)).isNull();
    }

    @Test
    void longMessagePartsCarryAConcatenationHeader() {
        List<byte[]> parts = SmsPdus.parts(SmsSplit.of("д".repeat(100)), 0x7F);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0)).startsWith(0x05, 0x00, 0x03, 0x7F, 0x02, 0x01).hasSize(6 + 67 * 2);
        assertThat(parts.get(1)).startsWith(0x05, 0x00, 0x03, 0x7F, 0x02, 0x02).hasSize(6 + 33 * 2);
        assertThat(SmsPdus.text(parts.get(1), SmsPdus.UDHI, (byte) 8)).isEqualTo("д".repeat(33));
    }

    @Test
    void shortGsmMessageIsUnpackedSeptetsWithoutHeader() {
        List<byte[]> parts = SmsPdus.parts(SmsSplit.of("Hi €"), 1);
        assertThat(parts).singleElement().satisfies(p -> assertThat(p).containsExactly('H', 'i', ' ', 0x1B, 0x65));
        assertThat(SmsPdus.text("plain".getBytes(StandardCharsets.ISO_8859_1), (byte) 0, (byte) 3))
                .isEqualTo("plain");
    }

    @Test
    void configTakesDefaultsAndReadsThePasswordFromTheEnvironment() {
        SmscConfig c = SmscConfig.of("main", "127.0.0.1", 2775, "outdial", "SMSC_PASSWORD", "Outdial");
        assertThat(c.binds()).isEqualTo(1);
        assertThat(c.window()).isEqualTo(10);
        assertThat(c.sourceTon()).isEqualTo(5);
        assertThat(c.password(Map.of("SMSC_PASSWORD", "s3cret")::get)).isEqualTo("s3cret");
        assertThatThrownBy(() -> c.password(k -> null)).hasMessageContaining("SMSC_PASSWORD");
        assertThatThrownBy(() -> SmscConfig.of("main", "h", 0, "id", "P", "S")).hasMessageContaining("port \"0\"");
    }
}

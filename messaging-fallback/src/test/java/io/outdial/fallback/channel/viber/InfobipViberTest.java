package io.outdial.fallback.channel.viber;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.http.HookRefused;
import io.outdial.fallback.scheme.ChannelType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Infobip's Viber formats as its API defines them: the send's button, inbound messages old and new. */
class InfobipViberTest {
    private static final Map<String, String> ENV = Map.of("IB_KEY", "key", "IB_USER", "u", "IB_PW", "p");
    private final InfobipViber ib = new InfobipViber(new InfobipViber.Config("http://127.0.0.1:1", "IB_KEY",
        "Outdial", "IB_USER", "IB_PW"), Clock.systemUTC(), ENV::get);
    private final String auth = "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8));

    @Test
    void aButtonIsSentWithTitleAndAction() {
        OutboundMessage m = new OutboundMessage("r1/1", "r1", "viber", ChannelType.VIBER, "+79001234567",
            Map.of("text", "Hi", "buttonText", "Details", "buttonUrl", "https://example.com/d"), Map.of(), 1,
            Duration.ofMinutes(5));
        JsonObject content = new JsonObject(ib.body(m)).getJsonArray("messages").getJsonObject(0)
            .getJsonObject("content");
        assertThat(content.getString("type")).isEqualTo("TEXT");
        assertThat(content.getJsonObject("button").getMap())
            .containsExactlyInAnyOrderEntriesOf(Map.of("title", "Details", "action", "https://example.com/d"));
    }

    @Test
    void anInboundMessageIsReadFromSenderAndFromTheOlderFrom() {
        for (String field : new String[] {"sender", "from"}) {
            JsonObject r = new JsonObject().put(field, "79001234567").put("to", "Outdial")
                .put("integrationType", "VIBER").put("receivedAt", "2026-12-05T09:00:00.000+0000")
                .put("messageId", "in-1").put("message", new JsonObject().put("type", "TEXT").put("text", "YES"));
            var in = ib.callback(new JsonObject().put("results", new JsonArray().add(r)).toBuffer().getBytes(),
                h -> h.equals("Authorization") ? auth : null);
            assertThat(in.events()).singleElement().isInstanceOfSatisfying(ChannelEvent.Reply.class, reply -> {
                assertThat(reply.from()).isEqualTo("+79001234567");
                assertThat(reply.text()).isEqualTo("YES");
            });
        }
        JsonObject nobody = new JsonObject().put("to", "Outdial").put("message", new JsonObject().put("text", "x"));
        assertThatThrownBy(() -> ib.callback(new JsonObject().put("results", new JsonArray().add(nobody)).toBuffer()
            .getBytes(), h -> h.equals("Authorization") ? auth : null)).isInstanceOf(HookRefused.class);
    }
}

package io.outdial.dialer.config;

import io.outdial.dialer.input.InvalidInput;
import io.outdial.dialer.input.Reason;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code chat} section: bound onto the channels' own records, strictly, with paths in the errors. */
class ChatConfigTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void noChatSectionMeansNoChannel() {
        ChatConfig chat = loader.parse("http:\n  port: 8080\n", "dialer.yaml", Map.of()).chat();
        assertThat(chat.any()).isFalse();
        assertThat(chat.whatsapp()).isNull();
    }

    @Test
    void everyChannelIsBoundWithItsDefaults() {
        ChatConfig chat = loader.parse(String.join("\n",
            "chat:",
            "  whatsapp:",
            "    phoneNumberId: '1065'",
            "    tokenEnv: WA_TOKEN",
            "    appSecretEnv: WA_SECRET",
            "    verifyTokenEnv: WA_VERIFY",
            "    http: { attemptTimeout: 3s }",
            "  viber:",
            "    bot: { authTokenEnv: VIBER_TOKEN, senderName: Outdial }",
            "    infobip: { baseUrl: 'https://api.infobip.example/', apiKeyEnv: IB_KEY, sender: Outdial,",
            "               hookUserEnv: IB_USER, hookPasswordEnv: IB_PASSWORD }",
            "  webhook:",
            "    secretEnv: HOOK_SECRET",
            "    replayWindow: 2m",
            ""), "dialer.yaml", Map.of()).chat();
        assertThat(chat.any()).isTrue();
        assertThat(chat.whatsapp().messagesUrl()).isEqualTo("https://graph.facebook.com/v21.0/1065/messages");
        assertThat(chat.whatsapp().http().attemptTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(chat.whatsapp().http().retryWithin()).isEqualTo(Duration.ofMinutes(10));
        assertThat(chat.viber().bot().config().baseUrl()).isEqualTo("https://chatapi.viber.com/pa");
        assertThat(chat.viber().bot().config().minApiVersion()).isEqualTo(1);
        assertThat(chat.viber().infobip().baseUrl()).isEqualTo("https://api.infobip.example");
        assertThat(chat.viber().http().attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(chat.webhook().replayWindow()).isEqualTo(Duration.ofMinutes(2));
        assertThat(chat.webhook().signatureHeader()).isEqualTo("X-Outdial-Signature");
    }

    @Test
    void anUnknownKeyIsRefusedWithItsPath() {
        assertThatThrownBy(() -> loader.parse("chat:\n  whatsapp:\n    phoneNumberId: '1'\n    token: abc\n",
            "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("$.chat.whatsapp.token");
                    assertThat(p.reason()).isEqualTo(Reason.UNKNOWN_KEY);
                    assertThat(p.message()).contains("tokenEnv");
                });
            });
        assertThatThrownBy(() -> loader.parse("chat:\n  telegram: {}\n", "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.problems().get(0).path())
                .isEqualTo("$.chat.telegram"));
    }

    @Test
    void refusedValuesNameTheirSection() {
        assertThatThrownBy(() -> loader.parse("chat:\n  viber: { http: { attemptTimeout: 1s } }\n", "dialer.yaml",
            Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.chat.viber");
                assertThat(e.problems().get(0).reason()).isEqualTo(Reason.INVALID_VALUE);
                assertThat(e.getMessage()).contains("bot, infobip or both");
            });
        assertThatThrownBy(() -> loader.parse("chat:\n  whatsapp: { tokenEnv: T }\n", "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e ->
                assertThat(e.getMessage()).contains("whatsapp.phoneNumberId is required"));
        assertThatThrownBy(() -> loader.parse("chat:\n  webhook: { secretEnv: S, replayWindow: soon }\n",
            "dialer.yaml", Map.of()))
            .isInstanceOfSatisfying(InvalidInput.class, e -> {
                assertThat(e.problems().get(0).path()).isEqualTo("$.chat.webhook.replayWindow");
                assertThat(e.problems().get(0).reason()).isEqualTo(Reason.WRONG_TYPE);
            });
    }
}

package io.outdial.dialer.demo;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.config.ChatConfig;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.fallback.channel.viber.InfobipViber;
import io.outdial.sandbox.chat.ChatScript;
import io.outdial.sandbox.chat.SandboxViber;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's sandbox Viber peer ({@code demo --viber}): an embedded {@link SandboxViber} on loopback, reached through
 * its Infobip API (business messages to numbers) and its REST Bot API (contacts with a {@code viber_id}) with one-off
 * secrets, its reports posted to the node's {@code /hooks/viber/business} and {@code /hooks/viber/bot}. Messages to
 * the numbers of {@link #SEEN} are delivered and seen; the bot user {@link #UNSUBSCRIBES} unsubscribes after the
 * message (the number goes on the stop-list); every other message is undelivered.
 */
final class DemoViber {
    private static final Logger LOG = LoggerFactory.getLogger(DemoViber.class);
    /** Numbers whose Viber message is seen (the demo Viber campaign's Vera and Vanessa). */
    static final java.util.List<String> SEEN = java.util.List.of("+33612345700", "+33612345720");
    /** The bot user who unsubscribes (the demo Viber campaign's Valérie). */
    static final String UNSUBSCRIBES = "demo-viber-valerie";
    private static final String BOT_TOKEN_ENV = "OUTDIAL_SANDBOX_VIBER_BOT_TOKEN";
    private static final String KEY_ENV = "OUTDIAL_SANDBOX_VIBER_KEY";
    private static final String USER_ENV = "OUTDIAL_SANDBOX_VIBER_HOOK_USER";
    private static final String PASSWORD_ENV = "OUTDIAL_SANDBOX_VIBER_HOOK_PASSWORD";

    private final SandboxViber peer;
    private final Map<String, String> secrets;

    private DemoViber(SandboxViber peer, Map<String, String> secrets) {
        this.peer = peer;
        this.secrets = secrets;
    }

    /** Starts the peer, shows it as {@code viber:sandbox} (SIMULATED) and points its reports at the node. */
    static DemoViber install(DialerApp app) {
        Map<String, String> secrets = Map.of(BOT_TOKEN_ENV, UUID.randomUUID().toString(),
            KEY_ENV, UUID.randomUUID().toString(), USER_ENV, "outdial", PASSWORD_ENV, UUID.randomUUID().toString());
        SandboxViber peer = new SandboxViber(secrets.get(BOT_TOKEN_ENV), secrets.get(KEY_ENV), secrets.get(USER_ENV),
            secrets.get(PASSWORD_ENV));
        int port = peer.start();
        peer.defaultScript(ChatScript.fail("7", Duration.ofMillis(300)));
        SEEN.forEach(n -> peer.script(n, ChatScript.inOrder(Duration.ofMillis(300))));
        peer.script(UNSUBSCRIBES, ChatScript.never().thenUnsubscribe(Duration.ofSeconds(1)));
        app.readiness().register("viber:sandbox", () -> Future.succeededFuture(DependencyStatus.simulated(
            "sandbox Viber peer (Infobip API and bot) on 127.0.0.1:" + port)));
        // started after the node listens: the peer's reports go to its webhooks
        app.add(DemoSetup.sidecar("sandbox-viber", () -> {
            String hooks = "http://127.0.0.1:" + app.httpPort() + "/hooks/viber/";
            peer.partnerWebhook(hooks + "business");
            peer.botWebhook(hooks + "bot");
        }, peer::close));
        LOG.warn("SIMULATED: Viber = embedded sandbox Viber peer (Infobip API and bot) on 127.0.0.1:{}; messages to {}"
            + " are seen, bot user {} unsubscribes, all others undelivered; none leaves this machine", port, SEEN,
            UNSUBSCRIBES);
        return new DemoViber(peer, secrets);
    }

    /** The node's chat channels with the peer as its Viber. */
    ChatConfig chat(ChatConfig node) {
        return new ChatConfig(node.whatsapp(), new ChatConfig.Viber(
            new ChatConfig.Bot(peer.botBaseUrl(), BOT_TOKEN_ENV, "Outdial", null),
            new InfobipViber.Config(peer.infobipBaseUrl(), KEY_ENV, "Outdial", USER_ENV, PASSWORD_ENV), null),
            node.webhook());
    }

    /** The peer's one-off secrets, then {@code fallback}. */
    Function<String, String> env(Function<String, String> fallback) {
        return name -> secrets.containsKey(name) ? secrets.get(name) : fallback.apply(name);
    }
}

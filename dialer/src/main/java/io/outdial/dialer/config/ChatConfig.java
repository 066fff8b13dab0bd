package io.outdial.dialer.config;

import io.outdial.fallback.channel.http.ChatHttpConfig;
import io.outdial.fallback.channel.viber.InfobipViber;
import io.outdial.fallback.channel.viber.ViberBotConfig;
import io.outdial.fallback.channel.webhook.WebhookConfig;
import io.outdial.fallback.channel.whatsapp.WhatsAppConfig;

/**
 * The chat and webhook channels of the node's cascade engine ({@code chat} section, docs/configuration.md). Each
 * subsection left out is a channel the node does not have (its blocks take their {@code error} link). Secrets are
 * never in the file: the records name the environment variables that hold them.
 *
 * @param whatsapp WhatsApp Cloud API, or null
 * @param viber    Viber (bot, Infobip business messages, or both), or null
 * @param webhook  the generic webhook channel, or null
 */
public record ChatConfig(WhatsAppConfig whatsapp, Viber viber, WebhookConfig webhook) {

    /** No chat channel. */
    public static ChatConfig defaults() {
        return new ChatConfig(null, null, null);
    }

    /** Whether any channel is configured. */
    public boolean any() {
        return whatsapp != null || viber != null || webhook != null;
    }

    /**
     * Viber: the REST bot, the Infobip partner, or both; one channel.
     *
     * @param bot     the bot, or null
     * @param infobip Infobip business messages to phone numbers, or null
     * @param http    retries and timeouts of the sends
     */
    public record Viber(Bot bot, InfobipViber.Config infobip, ChatHttpConfig http) {
        public Viber {
            if (bot == null && infobip == null) {
                throw new IllegalArgumentException("give bot, infobip or both (or leave the viber section out)");
            }
            http = http == null ? ChatHttpConfig.defaults() : http;
        }
    }

    /**
     * The Viber bot's keys as written in the file ({@code minApiVersion} may be left out); {@link #config()} is the
     * channel's {@link ViberBotConfig}.
     */
    public record Bot(String baseUrl, String authTokenEnv, String senderName, Integer minApiVersion) {
        public Bot {
            config(baseUrl, authTokenEnv, senderName, minApiVersion); // checks the values
        }

        /** The channel's settings. */
        public ViberBotConfig config() {
            return config(baseUrl, authTokenEnv, senderName, minApiVersion);
        }

        private static ViberBotConfig config(String baseUrl, String authTokenEnv, String senderName,
                                             Integer minApiVersion) {
            return new ViberBotConfig(baseUrl, authTokenEnv, senderName, minApiVersion == null ? 1 : minApiVersion);
        }
    }
}

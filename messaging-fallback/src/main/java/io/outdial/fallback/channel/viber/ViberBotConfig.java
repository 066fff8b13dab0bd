package io.outdial.fallback.channel.viber;

/**
 * Viber REST Bot API settings.
 *
 * @param baseUrl       the API root (default {@code https://chatapi.viber.com/pa})
 * @param authTokenEnv  variable holding the bot's auth token (sent as {@code X-Viber-Auth-Token}, and the key
 *                      of {@code X-Viber-Content-Signature})
 * @param senderName    the sender name shown with each message
 * @param minApiVersion {@code min_api_version} of messages (default 1)
 */
public record ViberBotConfig(String baseUrl, String authTokenEnv, String senderName, int minApiVersion) {
    public ViberBotConfig {
        baseUrl = baseUrl == null ? "https://chatapi.viber.com/pa" : baseUrl.replaceAll("/+$", "");
        if (senderName == null || senderName.isBlank()) {
            throw new IllegalArgumentException("viber.bot.senderName is required");
        }
        minApiVersion = Math.max(1, minApiVersion);
    }
}

package io.outdial.fallback.channel.whatsapp;

import io.outdial.fallback.channel.http.ChatHttpConfig;

/**
 * WhatsApp Cloud API settings. Secrets are read from environment variables whose names are given here.
 *
 * @param baseUrl         the Graph API root (default {@code https://graph.facebook.com})
 * @param apiVersion      the Graph API version in the path (default {@code v21.0})
 * @param phoneNumberId   the business phone number id messages are sent from
 * @param tokenEnv        variable holding the access token (sent as a bearer token)
 * @param appSecretEnv    variable holding the app secret (checks {@code X-Hub-Signature-256})
 * @param verifyTokenEnv  variable holding the webhook verify token ({@code hub.verify_token})
 * @param defaultLanguage template language when a block gives none (default {@code en})
 * @param http            retries and timeouts
 */
public record WhatsAppConfig(String baseUrl, String apiVersion, String phoneNumberId, String tokenEnv,
                             String appSecretEnv, String verifyTokenEnv, String defaultLanguage,
                             ChatHttpConfig http) {

    public WhatsAppConfig {
        baseUrl = baseUrl == null ? "https://graph.facebook.com" : baseUrl.replaceAll("/+$", "");
        apiVersion = apiVersion == null ? "v21.0" : apiVersion;
        defaultLanguage = defaultLanguage == null ? "en" : defaultLanguage;
        http = http == null ? ChatHttpConfig.defaults() : http;
        if (phoneNumberId == null || phoneNumberId.isBlank()) {
            throw new IllegalArgumentException("whatsapp.phoneNumberId is required");
        }
    }

    /** The send URL: {@code {baseUrl}/{version}/{phone-number-id}/messages}. */
    public String messagesUrl() {
        return baseUrl + "/" + apiVersion + "/" + phoneNumberId + "/messages";
    }
}

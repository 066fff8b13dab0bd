package io.outdial.fallback.channel.webhook;

import io.outdial.fallback.channel.http.ChatHttpConfig;
import java.time.Duration;

/**
 * Generic webhook channel settings.
 *
 * @param secretEnv       variable holding the shared secret of the signatures (both directions)
 * @param signatureHeader header carrying {@code sha256=<hex>} (default {@code X-Outdial-Signature})
 * @param timestampHeader header carrying the Unix time in seconds (default {@code X-Outdial-Timestamp})
 * @param replayWindow    how far a callback's timestamp may be from now (default 5 minutes)
 * @param http            retries and timeouts of the outgoing POST
 */
public record WebhookConfig(String secretEnv, String signatureHeader, String timestampHeader,
                            Duration replayWindow, ChatHttpConfig http) {
    public WebhookConfig {
        signatureHeader = signatureHeader == null ? "X-Outdial-Signature" : signatureHeader;
        timestampHeader = timestampHeader == null ? "X-Outdial-Timestamp" : timestampHeader;
        replayWindow = replayWindow == null ? Duration.ofMinutes(5) : replayWindow;
        http = http == null ? ChatHttpConfig.defaults() : http;
    }
}

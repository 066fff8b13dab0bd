package io.outdial.dialer.ari;

import java.time.Duration;
import java.util.Map;

/**
 * {@code POST /channels}: dial an endpoint and put the answered channel into an app or a dialplan context.
 *
 * @param endpoint       e.g. {@code PJSIP/+15551234567@carrier}
 * @param channelId      pre-assigned id of the originated channel (events may beat the HTTP reply)
 * @param otherChannelId pre-assigned id of the other half of a Local channel, or null
 * @param app            Stasis app (with appArgs) when not going through a context, else null
 * @param appArgs        comma-separated Stasis args, or null
 * @param context        dialplan context (e.g. {@code dialer-amd}) instead of app, else null
 * @param extension      dialplan extension with context
 * @param priority       dialplan priority with context
 * @param timeout        ring timeout (sent in whole seconds, at least 1)
 * @param callerId       caller id to present, e.g. {@code "Dialer" <+15551234567>}, or null
 * @param variables      channel variables (JSON body), may be empty
 */
public record OriginateRequest(String endpoint, String channelId, String otherChannelId, String app, String appArgs,
                               String context, String extension, int priority, Duration timeout, String callerId,
                               Map<String, String> variables) {
    public OriginateRequest {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("originate endpoint must not be blank");
        }
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("originate to " + endpoint + ": channelId must be pre-assigned");
        }
        if ((app == null) == (context == null)) {
            throw new IllegalArgumentException("originate to " + endpoint + ": exactly one of app or context, was app="
                    + app + " context=" + context);
        }
        if (context != null && (extension == null || priority < 1)) {
            throw new IllegalArgumentException("originate to " + endpoint + ": context " + context
                    + " needs an extension and a priority >= 1");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("originate to " + endpoint + ": timeout must be positive, was "
                    + timeout);
        }
        variables = variables == null ? Map.of() : Map.copyOf(variables);
    }

    /** Originate into a Stasis app. */
    public static OriginateRequest toApp(String endpoint, String channelId, String app, String appArgs,
                                         Duration timeout, String callerId, Map<String, String> variables) {
        return new OriginateRequest(endpoint, channelId, channelId + "-2", app, appArgs, null, null, 0, timeout,
                callerId, variables);
    }

    /** Originate into a dialplan context (e.g. {@code dialer-amd}, extension {@code s}, priority 1). */
    public static OriginateRequest toContext(String endpoint, String channelId, String context, String extension,
                                             int priority, Duration timeout, String callerId,
                                             Map<String, String> variables) {
        return new OriginateRequest(endpoint, channelId, channelId + "-2", null, null, context, extension, priority,
                timeout, callerId, variables);
    }

    /** The timeout in whole seconds as ARI wants it, rounded up, at least 1. */
    public long timeoutSeconds() {
        return Math.max(1, (timeout.toMillis() + 999) / 1000);
    }
}

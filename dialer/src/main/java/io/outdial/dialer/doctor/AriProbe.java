package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriServerConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Raw ARI reads the doctor needs with their HTTP details (the status of a refusal, the {@code Date} header), which
 * the call path's client does not keep: {@code GET /asterisk/info} and {@code GET /asterisk/modules}.
 */
final class AriProbe {
    /** One reply: status 0 when none came ({@code error} says why). */
    record Reply(int status, Buffer body, String date, String error, Instant sentAt, Instant receivedAt) {
        boolean ok() {
            return status == 200;
        }

        JsonObject json() {
            return body == null ? new JsonObject() : body.toJsonObject();
        }

        JsonArray array() {
            return body == null ? new JsonArray() : body.toJsonArray();
        }

        /** Asterisk's clock from the Date header, or null. */
        Instant serverTime() {
            try {
                return date == null ? null : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Asterisk's message of an error reply. */
        String message() {
            if (error != null) {
                return error;
            }
            try {
                JsonObject j = json();
                return j.getString("message", j.getString("error", "HTTP " + status));
            } catch (RuntimeException e) {
                return "HTTP " + status;
            }
        }
    }

    private final WebClient client;
    private final AriServerConfig config;
    private final java.time.Clock clock;

    AriProbe(WebClient client, AriServerConfig config, java.time.Clock clock) {
        this.client = client;
        this.config = config;
        this.clock = clock;
    }

    Future<Reply> get(String path) {
        Instant sent = clock.instant();
        String auth = "Basic " + Base64.getEncoder().encodeToString((config.username() + ":" + config.password())
            .getBytes(StandardCharsets.UTF_8));
        return client.getAbs(config.ariBase() + path).putHeader("Authorization", auth)
            .timeout(config.requestTimeout().toMillis()).send()
            .map(r -> reply(r, sent))
            .otherwise(e -> new Reply(0, null, null, String.valueOf(e.getMessage()), sent, clock.instant()));
    }

    private Reply reply(HttpResponse<Buffer> r, Instant sent) {
        return new Reply(r.statusCode(), r.body(), r.getHeader("Date"), null, sent, clock.instant());
    }
}

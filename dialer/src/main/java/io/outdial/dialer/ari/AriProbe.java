package io.outdial.dialer.ari;

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
 * Raw ARI reads for a deployment check, with the HTTP details the call path's {@link AriRestClient} does not keep:
 * the status of a refusal (401 for bad credentials) and the {@code Date} header (Asterisk's clock), e.g. of
 * {@code GET /asterisk/info} and {@code GET /asterisk/modules}. Never fails: a missing reply is status 0.
 */
public final class AriProbe {
    /**
     * One reply.
     *
     * @param status     the HTTP status, 0 when no reply came ({@code error} says why)
     * @param body       the body, or null
     * @param date       the {@code Date} header, or null
     * @param error      why no reply came, or null
     * @param sentAt     when the request left
     * @param receivedAt when the reply (or the failure) came
     */
    public record Reply(int status, Buffer body, String date, String error, Instant sentAt, Instant receivedAt) {
        public boolean ok() {
            return status == 200;
        }

        public JsonObject json() {
            return body == null ? new JsonObject() : body.toJsonObject();
        }

        public JsonArray array() {
            return body == null ? new JsonArray() : body.toJsonArray();
        }

        /** Asterisk's clock from the Date header, or null. */
        public Instant serverTime() {
            try {
                return date == null ? null
                    : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Asterisk's message of an error reply. */
        public String message() {
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

    /** A probe of one server; {@link #close()} releases its connections. */
    public AriProbe(io.vertx.core.Vertx vertx, AriServerConfig config, java.time.Clock clock) {
        this.client = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
            .setUserAgent("outdial-doctor"));
        this.config = config;
        this.clock = clock;
    }

    /** {@code GET <ariBase><path>} with the server's credentials. */
    public Future<Reply> get(String path) {
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

    public void close() {
        client.close();
    }
}

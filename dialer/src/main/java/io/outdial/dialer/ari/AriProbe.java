package io.outdial.dialer.ari;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Raw ARI reads for a deployment check ({@link AriRestClient#probe}), on a client of their own (user agent
 * {@code outdial-doctor}) outside the call path's gate: any status comes back as a reply (401 for bad credentials),
 * with its headers (the {@code Date} header: Asterisk's clock), e.g. of {@code GET /asterisk/info} and
 * {@code GET /asterisk/modules}.
 */
final class AriProbe {
    private final WebClient client;
    private final AriServerConfig config;

    /** A probe of one server; {@link #close()} releases its connections. */
    AriProbe(io.vertx.core.Vertx vertx, AriServerConfig config) {
        this.client = WebClient.create(vertx, new io.vertx.ext.web.client.WebClientOptions()
            .setUserAgent("outdial-doctor"));
        this.config = config;
    }

    /**
     * {@code GET <ariBase><path>} with the server's credentials: its {@code status}, {@code date} header and
     * {@code body} text (each absent when the reply had none); fails only when no reply came.
     */
    Future<JsonObject> get(String path) {
        return client.getAbs(config.ariBase() + path)
            .putHeader("Authorization", AriRestClient.basicAuth(config.username(), config.password()))
            .timeout(config.requestTimeout().toMillis()).send().map(AriProbe::reply);
    }

    private static JsonObject reply(HttpResponse<Buffer> r) {
        Buffer body = r.body();
        return new JsonObject().put("status", r.statusCode()).put("date", r.getHeader("Date"))
            .put("body", body == null ? null : body.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    void close() {
        client.close();
    }
}

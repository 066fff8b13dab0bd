package io.outdial.bench.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Sequential GETs over one keep-alive loopback connection to a {@link GuardedServer}, on a Vert.x instance of its
 * own, one of six kinds ({@link Route}).
 */
final class GuardedClient implements AutoCloseable {
    /** What is asked. */
    enum Route {
        /** The route without the guard. */
        OPEN,
        /** The same behind one no-op handler: what any extra handler costs in vertx-web. */
        PASS,
        /** The route without the guard, carrying the token's {@code Authorization} header (ignored there). */
        HEADER,
        /** The route behind the guard, with the token. */
        GUARDED,
        /** The API's {@code GET /api/v1/campaigns} (a database read) on the server without the guard. */
        API_OPEN,
        /** The same behind the guard, with the token. */
        API_GUARDED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** What this kind is compared with: the same route without the guard (null for those). */
        Route base() {
            return switch (this) {
                case OPEN, API_OPEN -> null;
                case PASS, HEADER, GUARDED -> OPEN;
                case API_GUARDED -> API_OPEN;
            };
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    private final RequestOptions[] options = new RequestOptions[Route.values().length];

    GuardedClient(int port, int apiPort, String token) throws Exception {
        options[Route.OPEN.ordinal()] = get(port, "/open/campaigns/c1/contacts");
        options[Route.PASS.ordinal()] = get(port, "/pass/campaigns/c1/contacts");
        options[Route.HEADER.ordinal()] = get(port, "/open/campaigns/c1/contacts")
            .putHeader("Authorization", "Bearer " + token);
        options[Route.GUARDED.ordinal()] = get(port, "/api/v1/campaigns/c1/contacts")
            .putHeader("Authorization", "Bearer " + token);
        options[Route.API_OPEN.ordinal()] = get(apiPort, "/api/v1/campaigns");
        options[Route.API_GUARDED.ordinal()] = get(port, "/api/v1/campaigns")
            .putHeader("Authorization", "Bearer " + token);
        for (Route r : Route.values()) {
            if (get(r).length() == 0) {
                throw new IllegalStateException("the benchmark route " + r.label() + " answers nothing");
            }
        }
    }

    private static RequestOptions get(int port, String uri) {
        return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri);
    }

    /** One GET, waited for; fails unless 200. */
    Buffer get(Route route) throws Exception {
        return client.request(options[route.ordinal()]).compose(req -> req.send().compose(res -> {
            if (res.statusCode() != 200) {
                throw new IllegalStateException("status " + res.statusCode());
            }
            return res.body();
        })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

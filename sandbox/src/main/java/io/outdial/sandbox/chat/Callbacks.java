package io.outdial.sandbox.chat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts webhook callbacks as a provider does: a non-2xx answer or a failed connection is tried again, up to
 * {@link #ATTEMPTS} times, 100 ms, 200 ms, 400 ms... apart. Every attempt is recorded.
 */
public final class Callbacks {

    /** Attempts per callback. */
    public static final int ATTEMPTS = 6;

    /** One attempt: where, what, and the answer's status (0 for no answer). */
    public record Attempt(String url, String body, int status) {
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    Callbacks(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient();
    }

    /** Posts, retrying on failure. */
    void post(String url, MultiMap headers, String body) {
        attempt(url, headers, body, 1);
    }

    private void attempt(String url, MultiMap headers, String body, int n) {
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).setHeaders(headers)
                .setTimeout(5000)).compose(req -> req.send(Buffer.buffer(body))).onComplete(ar -> {
                    int st = ar.succeeded() ? ar.result().statusCode() : 0;
                    attempts.add(new Attempt(url, body, st));
                    if ((st < 200 || st >= 300) && n < ATTEMPTS) {
                        vertx.setTimer(100L << (n - 1), t -> attempt(url, headers, body, n + 1));
                    }
                });
    }

    /** Every attempt so far. */
    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    void close() {
        client.close();
    }

    /** Lower-case hex HMAC-SHA256. */
    static String hmacHex(String key, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

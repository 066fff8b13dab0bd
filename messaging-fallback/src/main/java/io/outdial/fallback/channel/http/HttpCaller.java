package io.outdial.fallback.channel.http;

import io.outdial.fallback.channel.SendException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts to a provider and retries what may succeed later: HTTP 429, 5xx, connection failures and timeouts,
 * with exponential backoff and jitter (half fixed, half random), until a deadline. A 2xx or any other 4xx is
 * the answer and is not retried. Never blocks.
 */
public final class HttpCaller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCaller.class);

    /** An answer from the provider. */
    public record Response(int status, Buffer body) {
        /** True for 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration attemptTimeout;
    private final Duration backoffMin;
    private final Duration backoffMax;

    /**
     * @param attemptTimeout how long one attempt may take
     * @param backoffMin     the first wait between attempts
     * @param backoffMax     the longest wait
     */
    public HttpCaller(Vertx vertx, Duration attemptTimeout, Duration backoffMin, Duration backoffMax) {
        this.vertx = vertx;
        this.attemptTimeout = attemptTimeout;
        this.backoffMin = backoffMin;
        this.backoffMax = backoffMax;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
    }

    /**
     * Sends until a final answer or the deadline.
     *
     * @param url      absolute URL
     * @param headers  request headers (a fresh set per attempt from the supplier, so signatures can be renewed)
     * @param body     the request body
     * @param budget   no attempt starts once this much real time has passed; the last failure is returned then
     */
    public Future<Response> post(String url, Supplier<MultiMap> headers, Buffer body, Duration budget) {
        Promise<Response> p = Promise.promise();
        attempt(url, headers, body, System.nanoTime() + budget.toNanos(), 1, p);
        return p.future();
    }

    private void attempt(String url, Supplier<MultiMap> headers, Buffer body, long deadlineNanos, int n,
                         Promise<Response> p) {
        RequestOptions ro = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setHeaders(headers.get()).setTimeout(attemptTimeout.toMillis())
                .setConnectTimeout(attemptTimeout.toMillis());
        client.request(ro).compose(req -> req.send(body).compose(resp -> resp.body()
                .map(b -> new Response(resp.statusCode(), b)))).onComplete(ar -> {
                    String why;
                    SendException.Reason reason;
                    if (ar.succeeded()) {
                        Response r = ar.result();
                        if (r.status() != 429 && r.status() < 500) {
                            p.complete(r);
                            return;
                        }
                        why = "HTTP " + r.status();
                        reason = r.status() == 429 ? SendException.Reason.THROTTLED : SendException.Reason.UNAVAILABLE;
                    } else {
                        why = String.valueOf(ar.cause().getMessage());
                        reason = ar.cause() instanceof java.util.concurrent.TimeoutException
                                || why.toLowerCase(java.util.Locale.ROOT).contains("timeout")
                                ? SendException.Reason.TIMEOUT : SendException.Reason.UNAVAILABLE;
                    }
                    long wait = backoff(n);
                    if (System.nanoTime() + wait * 1_000_000L - deadlineNanos > 0) {
                        p.fail(new SendException(reason, url + ": " + why + " after " + n + " attempt(s)"));
                        return;
                    }
                    LOG.debug("{}: {} (attempt {}); again in {} ms", url, why, n, wait);
                    vertx.setTimer(wait, t -> attempt(url, headers, body, deadlineNanos, n + 1, p));
                });
    }

    /** Exponential from backoffMin, capped at backoffMax; half of it fixed, half random. */
    long backoff(int attempt) {
        long base = Math.min(backoffMax.toMillis(), backoffMin.toMillis() << Math.min(20, attempt - 1));
        long half = Math.max(1, base / 2);
        return half + ThreadLocalRandom.current().nextLong(half + 1);
    }

    @Override
    public void close() {
        client.close();
    }
}

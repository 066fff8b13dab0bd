package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox carries 5,000 concurrent answered calls in one process, originated over loopback with at most 100
 * requests in flight; prints the originate rate and the heap per live call (figures for docs/sandbox.md).
 */
class LoadIT {

    private static final Logger LOG = LoggerFactory.getLogger(LoadIT.class);
    private static final int CALLS = 5000;

    @Test
    void carriesFiveThousandConcurrentAnsweredCalls() {
        Vertx vertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults()).await();
        pbx.scripts().register(".*", CalleeScript.answerAfter(Duration.ZERO).withTalk(Duration.ZERO));
        AriTestClient ari = new AriTestClient(vertx, pbx);
        ari.keepEvents = false;
        ari.connect("dialer");
        WebClient web = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(50));
        System.gc();
        long heapBefore = usedHeap();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        Promise<Void> done = Promise.promise();
        AtomicInteger finished = new AtomicInteger();
        for (int lane = 0; lane < 100; lane++) {
            lane(web, pbx, next, failed, finished, done);
        }
        done.future().await();
        double seconds = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofSeconds(30)).until(() -> ari.eventCount.get() >= CALLS * 5L);
        System.gc();
        long perCall = (usedHeap() - heapBefore) / CALLS;
        LOG.info("originated {} calls in {} s: {} originates/s; {} live channels; ~{} bytes of sandbox heap per live call",
            CALLS, String.format("%.2f", seconds), Math.round(CALLS / seconds), pbx.liveChannelCount(), perCall);
        assertThat(failed.get()).isZero();
        assertThat(pbx.liveCallCount()).isEqualTo(CALLS);
        assertThat(ari.eventCount.get()).as("Dial, StateChange, Dial ANSWER, Varset, StasisStart per call")
            .isEqualTo(CALLS * 5L);
        web.close();
        ari.close().await();
        pbx.close().await();
        vertx.close().await();
    }

    private static void lane(WebClient web, SandboxPbx pbx, AtomicInteger next, AtomicInteger failed,
                             AtomicInteger finished, Promise<Void> done) {
        int n = next.getAndIncrement();
        if (n >= CALLS) {
            if (finished.incrementAndGet() == 100) {
                done.tryComplete();
            }
            return;
        }
        Future<?> sent = web.request(HttpMethod.POST, pbx.port(), "127.0.0.1", "/ari/channels")
            .basicAuthentication("dialer", "dialer")
            .addQueryParam("endpoint", "PJSIP/" + (1_000_000 + n) + "@carrier").addQueryParam("app", "dialer")
            .send().map(resp -> {
                if (resp.statusCode() != 200) {
                    failed.incrementAndGet();
                }
                return null;
            });
        sent.onComplete(x -> {
            if (x.failed()) {
                failed.incrementAndGet();
            }
            lane(web, pbx, next, failed, finished, done);
        });
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}

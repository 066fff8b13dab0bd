package io.outdial.dialer.it;

import io.outdial.dialer.node.Component;
import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.node.DrainTracker;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Stop = not ready, no new work, live work finishes (up to the drain timeout), then everything closes. */
class GracefulShutdownIT {
    @Test
    void stopWaitsForLiveWorkThenClosesComponentsInReverseOrder(@TempDir Path dir) {
        List<String> events = new CopyOnWriteArrayList<>();
        DialerApp app = DialerApp.create(TestConfigs.local(dir).withDrainTimeout(Duration.ofSeconds(30)));
        app.add(recording("first", events)).add(recording("second", events));
        Await.result(app.start(), 120);
        int port = app.httpPort();
        DrainTracker.Ticket liveCall = app.drain().tryBegin("call").orElseThrow();

        Future<Void> stopped = app.stop();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ready = Http.get(port, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("DRAINING");
        });
        assertThat(Http.get(port, "/api/v1/anything").statusCode()).isEqualTo(503);
        assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);
        assertThat(app.drain().tryBegin("call")).isEmpty();
        assertThat(stopped.isComplete()).isFalse();
        assertThat(events).containsExactly("start first", "start second");

        liveCall.close();

        Await.result(stopped, 60);
        assertThat(events).containsExactly("start first", "start second", "stop second", "stop first");
        assertThat(app.terminated().isComplete()).isTrue();
    }

    @Test
    void stopGivesUpOnLiveWorkAfterTheDrainTimeout(@TempDir Path dir) {
        DialerApp app = DialerApp.create(TestConfigs.local(dir).withDrainTimeout(Duration.ofMillis(300)));
        Await.result(app.start(), 120);
        app.drain().tryBegin("stuck-call").orElseThrow();

        Await.result(app.stop(), 60);

        assertThat(app.terminated().isComplete()).isTrue();
        assertThat(app.drain().inFlight()).isEqualTo(1);
    }

    @Test
    void stopDuringStartWaitsForTheStartThenClosesEverythingAndLateComponentsAreRefused(@TempDir Path dir) {
        DialerApp app = DialerApp.create(TestConfigs.local(dir));
        try {
            Future<Void> starting = app.start();
            assertThatThrownBy(() -> app.add(new Component() {
                @Override
                public String name() {
                    return "late";
                }

                @Override
                public Future<Void> start() {
                    return Future.succeededFuture();
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("late");
            // Stopping while still starting waits for the start, then closes everything that started.
            Await.result(app.stop(), 60);
            assertThat(starting.succeeded()).isTrue();
            assertThat(app.readiness().phase()).isEqualTo(io.outdial.dialer.ready.Readiness.Phase.DRAINING);
            assertThat(app.cluster().memberCount()).isZero();
            assertThat(app.terminated().isComplete()).isTrue();
        } finally {
            Await.result(app.stop(), 60);
        }
    }

    private static Component recording(String name, List<String> events) {
        return new Component() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Future<Void> start() {
                events.add("start " + name);
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> stop() {
                events.add("stop " + name);
                return Future.succeededFuture();
            }
        };
    }
}

package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** REST errors shaped like Asterisk's, authentication, and every fault the tests can inject. */
class FaultsAndErrorsIT extends ConnectedPbxTestBase {
    @Override
    protected SandboxPbxOptions options() {
        return SandboxPbxOptions.defaults().withTimeScale(20);
    }

    @AfterEach
    void clearFaults() {
        pbx.faults().clear();
    }

    @Test
    void wrongPasswordGets401AndApiKeyIsAccepted() {
        WebClient web = WebClient.create(vertx);
        HttpResponse<Buffer> wrong = web.get(pbx.port(), "127.0.0.1", "/ari/asterisk/info")
            .basicAuthentication("dialer", "nope").send().await();
        HttpResponse<Buffer> key = web.get(pbx.port(), "127.0.0.1", "/ari/asterisk/info?api_key=dialer:dialer")
            .send().await();
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(key.bodyAsJsonObject().getJsonObject("system").getString("version")).isEqualTo("22.10.1");
        web.close();
    }

    @Test
    void errorsHaveAsteriskStatusesAndBodies() {
        HttpResponse<Buffer> bogus = ari.call(HttpMethod.POST, "/channels", Map.of("endpoint", "Bogus/100",
            "app", "dialer"));
        HttpResponse<Buffer> missing = ari.call(HttpMethod.POST, "/channels/nope/play", Map.of("media", "sound:beep"));
        HttpResponse<Buffer> noEndpoint = ari.call(HttpMethod.POST, "/channels", Map.of("app", "dialer"));
        HttpResponse<Buffer> noBridge = ari.call(HttpMethod.GET, "/bridges/nope", Map.of());
        assertThat(bogus.statusCode()).isEqualTo(500);
        assertThat(bogus.bodyAsJsonObject().getString("error")).isEqualTo("Allocation failed");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.bodyAsJsonObject().getString("message")).isEqualTo("Channel not found");
        assertThat(noEndpoint.statusCode()).isEqualTo(400);
        assertThat(noBridge.bodyAsJsonObject().getString("message")).isEqualTo("Bridge not found");
    }

    @Test
    void droppedWebsocketIsClosedByTheServerAndTheCallStaysInStasis() {
        String id = ari.originate(Map.of("endpoint", "Local/106@callee", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> ari.summary(id).stream().anyMatch(s -> s.startsWith("StasisStart")));
        pbx.faults().dropWebsockets();
        await().atMost(Duration.ofSeconds(5)).untilTrue(ari.socketClosed);
        assertThat(pbx.appRegistered("dialer")).isTrue();
        HttpResponse<Buffer> play = ari.call(HttpMethod.POST, "/channels/" + id + "/play", Map.of("media", "sound:beep"));
        assertThat(play.statusCode()).isEqualTo(201);
        assertThat(ari.call(HttpMethod.GET, "/applications/dialer", Map.of()).bodyAsJsonObject()
            .getJsonArray("channel_ids")).hasSize(2);
    }

    @Test
    void failedRestCallsGetTheInjectedStatusForTheNextCountCallsOnly() {
        pbx.faults().failRest("/channels", 503, 1);
        HttpResponse<Buffer> first = ari.call(HttpMethod.POST, "/channels", Map.of("endpoint", "Local/105@callee",
            "app", "dialer"));
        HttpResponse<Buffer> second = ari.call(HttpMethod.POST, "/channels", Map.of("endpoint", "Local/105@callee",
            "app", "dialer"));
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(pbx.originateCount()).isEqualTo(1);
    }

    @Test
    void delayedRestCallsAnswerAfterTheDelay() {
        pbx.faults().delayRest("/asterisk/info", Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThat(ari.call(HttpMethod.GET, "/asterisk/info", Map.of()).statusCode()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
    }

    @Test
    void resetRestCallsLoseTheirConnection() {
        pbx.faults().resetRest("/channels", 1);
        assertThatThrownBy(() -> ari.call(HttpMethod.GET, "/channels", Map.of())).isNotNull();
        assertThat(ari.call(HttpMethod.GET, "/channels", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void hungRestCallsNeverAnswerUntilReleased() {
        pbx.faults().hangRest(true);
        assertThatThrownBy(() -> ari.request(HttpMethod.GET, "/channels", Map.of()).timeout(300).send().await())
            .isNotNull();
        pbx.faults().hangRest(false);
        assertThat(ari.call(HttpMethod.GET, "/channels", Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void stoppedAnsweringMakesEveryCalleeRingUntilTheTimeout() {
        pbx.faults().stopAnswering(true);
        String id = ari.originate(Map.of("endpoint", "Local/100@callee", "app", "dialer", "timeout", "2"))
            .getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> ari.summary(id).contains("ChannelDestroyed:19"));
        assertThat(ari.summary(id)).doesNotContain("Dial:ANSWER");
    }

    @Test
    void asteriskGoesDownAndComesBackOnTheSamePortWithoutItsCalls() {
        int port = pbx.port();
        ari.originate(Map.of("endpoint", "Local/106@callee", "app", "dialer"));
        pbx.faults().down().await();
        assertThat(pbx.liveChannelCount()).isZero();
        assertThatThrownBy(() -> ari.call(HttpMethod.GET, "/channels", Map.of())).isNotNull();
        pbx.faults().up().await();
        assertThat(pbx.port()).isEqualTo(port);
        // a keep-alive connection the client pooled before the restart may still be handed out once, and fail as
        // closed; a client asks again, as a dialer does after Asterisk restarts
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
            assertThat(ari.call(HttpMethod.GET, "/channels", Map.of()).bodyAsJsonArray()).isEmpty());
    }

    @Test
    void comingBackWaitsWhileAnotherSocketHoldsThePortForAMoment() throws Exception {
        int port = pbx.port();
        pbx.faults().down().await();
        java.net.ServerSocket holder = new java.net.ServerSocket();
        holder.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        java.util.concurrent.CompletableFuture<Void> released = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                holder.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.util.concurrent.CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS));
        pbx.faults().up().await();
        assertThat(released).as("up waited for the port").isDone();
        assertThat(pbx.port()).isEqualTo(port);
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
            assertThat(ari.call(HttpMethod.GET, "/channels", Map.of()).bodyAsJsonArray()).isEmpty());
    }

    @Test
    void secondWebsocketForTheAppReplacesTheFirstWhichGetsApplicationReplaced() {
        AriTestClient second = new AriTestClient(vertx, pbx).connect("dialer");
        await().atMost(Duration.ofSeconds(5)).until(() -> ari.events.stream()
            .anyMatch(e -> "ApplicationReplaced".equals(e.getString("type"))));
        String id = ari.originate(Map.of("endpoint", "Local/105@callee", "app", "dialer")).getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> !second.eventsOf(id).isEmpty());
        assertThat(ari.eventsOf(id)).isEmpty();
        assertThat(ari.socketClosed).isFalse();
        second.close().await();
    }
}

package io.outdial.dialer.ari;

import io.outdial.dialer.support.FakeAri;
import io.outdial.dialer.support.Transcripts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class AriServerTest {
    private Vertx vertx;
    private FakeAri fake;
    private AriServer server;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        fake = new FakeAri(vertx).start(0).await();
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop().await();
        }
        vertx.close().await();
    }

    private AriServer server(int maxInFlight) {
        AriServerConfig cfg = new AriServerConfig("ast1", fake.url(), "dialer", "secret", "dialer", maxInFlight,
                Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(400));
        server = new AriServer(vertx, cfg, Clock.systemUTC());
        return server;
    }

    @Test
    void startConnectsTheEventsWebsocketRegistersTheAppAndReportsUp() {
        AriServer s = server(8);
        assertThat(s.health().state()).isEqualTo(AriHealth.State.STARTING);
        s.start().await();
        assertThat(s.health().state()).isEqualTo(AriHealth.State.UP);
        assertThat(s.health().detail()).isEqualTo("Asterisk 22.10.1, app dialer");
        assertThat(fake.sockets()).isEqualTo(1);
        assertThat(fake.requests).extracting(FakeAri.Request::path).contains("/applications/dialer", "/asterisk/info");
    }

    @Test
    void eventsAreParsedAndUnknownTypesSkipped() {
        List<AriEvent> got = new CopyOnWriteArrayList<>();
        AriServer s = server(8).onEvent(got::add);
        s.start().await();
        // the app asked Asterisk for the types it acts on only; frames of other types that still come are dropped
        FakeAri.Request filter = fake.requests.stream().filter(r -> r.method().equals("PUT")).findFirst()
                .orElseThrow();
        assertThat(filter.path()).isEqualTo("/applications/dialer/eventFilter");
        JsonObject body = new JsonObject(filter.body());
        assertThat(body.getJsonArray("disallowed")).isEmpty();
        assertThat(body.getJsonArray("allowed").stream().map(o -> ((JsonObject) o).getString("type")))
                .containsExactlyInAnyOrderElementsOf(AriEvents.ACTED_ON);
        sendMixedFramesAndExpectOnlyTheDigits(got);
    }

    @Test
    void anAsteriskWithoutEventFiltersSendsEverythingAndTheFramesNoHandlerActsOnAreDropped() {
        fake.handler = r -> r.method().equals("PUT") ? new FakeAri.Reply(404,
                "{\"message\":\"Resource not found\"}", List.of()) : null;
        List<AriEvent> got = new CopyOnWriteArrayList<>();
        AriServer s = server(8).onEvent(got::add);
        s.start().await();
        assertThat(s.health().state()).isEqualTo(AriHealth.State.UP);
        sendMixedFramesAndExpectOnlyTheDigits(got);
    }

    private void sendMixedFramesAndExpectOnlyTheDigits(List<AriEvent> got) {
        fake.send("{\"type\":\"SomethingNew\"}");
        fake.send("not json");
        // modelled, but no part of the dialer acts on them: dropped
        fake.send("{\"type\":\"ChannelVarset\",\"variable\":\"X\",\"value\":\"1\",\"channel\":{\"id\":\"c1\"}}");
        fake.send("{\"channel\":{\"id\":\"c1\"},\"type\":\"StasisEnd\"}");
        fake.send("{\"type\":\"ChannelDtmfReceived\",\"digit\":\"5\",\"channel\":{\"id\":\"c1\"}}");
        // the type after a nested object is found too
        fake.send("{\"channel\":{\"id\":\"c1\",\"type\":\"x\"},\"digit\":\"6\",\"type\":\"ChannelDtmfReceived\"}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() >= 2);
        assertThat(got).extracting(e -> ((AriEvent.ChannelDtmfReceived) e).digit()).containsExactly("5", "6");
    }

    @Test
    void anEventSentInSeveralFramesIsJoinedBeforeItIsRead() {
        List<AriEvent> got = new CopyOnWriteArrayList<>();
        AriServer s = server(8).onEvent(got::add);
        s.start().await();
        String json = "{\"type\":\"ChannelDtmfReceived\",\"digit\":\"7\",\"channel\":{\"id\":\"c1\","
                + "\"caller\":{\"name\":\"Ёлкин\",\"number\":\"100\"}}}";
        int head = json.indexOf("\"channel\"");
        int cut = json.substring(head).getBytes(StandardCharsets.UTF_8).length
                - "лкин\",\"number\":\"100\"}}}".getBytes(StandardCharsets.UTF_8).length - 1; // inside the Ё
        fake.sendInFrames(json, head, cut);
        fake.send("{\"type\":\"ChannelDtmfReceived\",\"digit\":\"8\",\"channel\":{\"id\":\"c1\"}}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() >= 2);
        assertThat(got).extracting(e -> ((AriEvent.ChannelDtmfReceived) e).digit()).containsExactly("7", "8");
        assertThat(((AriEvent.ChannelDtmfReceived) got.get(0)).channel().caller().name()).isEqualTo("Ёлкин");
    }

    @Test
    void aMessageLongerThanTheLimitIsSkippedAndTheNextOneRead() {
        AriServer.MessageJoiner joiner = new AriServer.MessageJoiner(16);
        assertThat(joiner.add(WebSocketFrame.textFrame("{\"type\":", false))).isNull();
        assertThat(joiner.add(WebSocketFrame.continuationFrame(Buffer.buffer("\"Dial\",\"x\":1"), false))).isNull();
        assertThat(joiner.dropped()).isTrue();
        assertThat(joiner.add(WebSocketFrame.continuationFrame(Buffer.buffer("}"), true))).as("the rest of it")
                .isNull();
        assertThat(joiner.add(WebSocketFrame.binaryFrame(Buffer.buffer("{}"), true))).isNull();
        assertThat(joiner.add(WebSocketFrame.textFrame("{}", true))).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThat(joiner.add(WebSocketFrame.textFrame("{\"a\":", false))).isNull();
        assertThat(joiner.add(WebSocketFrame.continuationFrame(Buffer.buffer("1}"), true)))
                .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fingerprintsTellApartEveryTranscriptEventAndEveryOneByteChange() {
        Map<AriServer.Fingerprint, String> seen = new HashMap<>();
        for (String name : Transcripts.names()) {
            for (String json : Transcripts.eventJson(name)) {
                String before = seen.putIfAbsent(AriServer.Fingerprint.of(json.getBytes(StandardCharsets.UTF_8)), json);
                assertThat(before == null || before.equals(json)).as(json + " against " + before).isTrue();
            }
        }
        byte[] dtmf = ("{\"type\":\"ChannelDtmfReceived\",\"timestamp\":\"2026-11-23T12:00:00.100+0000\","
                + "\"digit\":\"1\",\"channel\":{\"id\":\"c1\"}}").getBytes(StandardCharsets.UTF_8);
        AriServer.Fingerprint original = AriServer.Fingerprint.of(dtmf);
        assertThat(AriServer.Fingerprint.of(dtmf.clone())).isEqualTo(original);
        for (int i = 0; i < dtmf.length; i++) { // every position, the head words and the tail alike
            byte[] changed = dtmf.clone();
            changed[i] ^= 1;
            assertThat(AriServer.Fingerprint.of(changed)).as("byte %d changed", i).isNotEqualTo(original);
        }
        assertThat(AriServer.Fingerprint.of(Arrays.copyOf(dtmf, dtmf.length + 1))).as("a zero byte added")
                .isNotEqualTo(original);
    }

    @Test
    void anEventRepeatedByteForByteIsDeliveredOnce() {
        // an app subscribed to a channel and to its endpoint gets the channel's events through both forwards
        List<AriEvent> got = new CopyOnWriteArrayList<>();
        AriServer s = server(8).onEvent(got::add);
        s.start().await();
        String digit1 = "{\"type\":\"ChannelDtmfReceived\",\"timestamp\":\"2026-11-23T12:00:00.100+0000\","
                + "\"digit\":\"1\",\"channel\":{\"id\":\"c1\"}}";
        String digit1Later = digit1.replace("00.100", "00.900");
        fake.send(digit1);
        fake.send(digit1);
        fake.send(digit1Later);
        fake.send("{\"type\":\"ChannelDtmfReceived\",\"digit\":\"#\",\"channel\":{\"id\":\"c1\"}}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() >= 3);
        assertThat(got).extracting(e -> ((AriEvent.ChannelDtmfReceived) e).digit()).containsExactly("1", "1", "#");
    }

    @Test
    void droppedWebsocketGoesDownAndReconnectsThenRunsReconnectHandlers() {
        List<String> reconnected = new CopyOnWriteArrayList<>();
        List<AriHealth.State> states = new CopyOnWriteArrayList<>();
        AriServer s = server(8).onReconnected(() -> reconnected.add("again"))
                .onHealthChange(h -> states.add(h.state()));
        s.start().await();
        fake.dropSockets();
        // how soon depends on the machine's load; the reconnect delays themselves are configuration
        await().atMost(10, TimeUnit.SECONDS).until(() -> reconnected.size() == 1);
        assertThat(states).containsSubsequence(AriHealth.State.UP, AriHealth.State.DOWN, AriHealth.State.UP);
        assertThat(s.health().up()).isTrue();
    }

    @Test
    void applicationReplacedMarksTheServerDownWithTheReason() {
        AriServer s = server(8);
        s.start().await();
        fake.send("{\"type\":\"ApplicationReplaced\",\"application\":\"dialer\"}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> !s.health().up());
        assertThat(s.health().detail()).contains("replaced");
    }

    @Test
    void asteriskDownIsReportedWithTheReasonAndRecoversByItself() {
        AriServer s = server(8);
        s.start().await();
        int port = fake.port();
        fake.stop().await();
        await().atMost(10, TimeUnit.SECONDS).until(() -> s.health().state() == AriHealth.State.DOWN);
        assertThat(s.health().detail()).isNotBlank();
        fake = new FakeAri(vertx).start(port).await();
        await().atMost(10, TimeUnit.SECONDS).until(() -> s.health().up());
    }

    @Test
    void firstStartFailsWhenTheAppCannotRegisterButKeepsRetrying() {
        fake.appRegistered = false;
        AriServer s = server(8);
        assertThatThrownBy(() -> s.start().await()).hasMessageContaining("404");
        fake.appRegistered = true;
        await().atMost(10, TimeUnit.SECONDS).until(() -> s.health().up());
    }

    @Test
    void restErrorsKeepTheStatusAndAsterisksMessage() {
        AriServer s = server(8);
        fake.handler = r -> r.path().startsWith("/channels/gone")
                ? new FakeAri.Reply(404, "{\"message\":\"Channel not found\"}", List.of())
                : r.path().equals("/channels") && r.method().equals("POST")
                ? new FakeAri.Reply(500, "{\"error\":\"Allocation failed\"}", List.of()) : null;
        assertThatThrownBy(() -> s.rest().hangup("gone", "normal").await()).isInstanceOfSatisfying(AriException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.ariMessage()).isEqualTo("Channel not found");
                });
        OriginateRequest o = OriginateRequest.toApp("Bogus/100", "c1", "dialer", null, Duration.ofSeconds(5), null,
                null);
        assertThatThrownBy(() -> s.rest().originate(o).await()).hasMessageContaining("HTTP 500")
                .hasMessageContaining("Allocation failed");
    }

    @Test
    void concurrentRequestsBeyondTheCapAreQueued() {
        AriServer s = server(2);
        fake.replyDelayMs = 50;
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(s.rest().setVariable("c" + i, "X", "1"));
        }
        Future.all(all).await();
        assertThat(fake.maxConcurrent.get()).isEqualTo(2);
        assertThat(s.rest().inFlight()).isZero();
    }

    @Test
    void originateSendsPreAssignedIdsTimeoutCallerIdAndVariables() {
        AriServer s = server(8);
        s.rest().originate(OriginateRequest.toApp("PJSIP/+1555@carrier", "od-1", "dialer", "attempt=a1",
                Duration.ofMillis(25_500), "\"Acme\" <+15550000001>", java.util.Map.of("CAMPAIGN", "c1"))).await();
        FakeAri.Request r = fake.requests.get(fake.requests.size() - 1);
        assertThat(r.params()).containsEntry("endpoint", "PJSIP/+1555@carrier").containsEntry("channelId", "od-1")
                .containsEntry("otherChannelId", "od-1-2").containsEntry("timeout", "26")
                .containsEntry("app", "dialer").containsEntry("callerId", "\"Acme\" <+15550000001>");
        assertThat(r.body()).contains("\"CAMPAIGN\":\"c1\"");
    }
}

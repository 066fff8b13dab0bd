package io.outdial.dialer.call;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.support.FakeAri;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.Prompt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(30)
class CallEngineTest {
    private Vertx vertx;
    private FakeAri fake;
    private AriServer server;
    private CallEngine engine;
    private final List<CallRecord> ended = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        fake = new FakeAri(vertx).start(0).await();
        server = new AriServer(vertx, new AriServerConfig("ast1", fake.url(), "dialer", "pw", "dialer", 64,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(400)),
                Clock.systemUTC());
        engine = new CallEngine(vertx, server, PromptResolver.mediaOnly(), name -> null, Clock.systemUTC(),
                new CallListener() {
                    @Override
                    public void onEnded(CallRecord record) {
                        ended.add(record);
                    }
                });
        server.start().await();
    }

    @AfterEach
    void tearDown() {
        server.stop().await();
        vertx.close().await();
    }

    static Trunk trunk(boolean amd) {
        return new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000001"), false, 10, 10,
                Duration.ofSeconds(5), amd));
    }

    private CallRequest request(String attemptId, String phone, boolean amd, MachinePolicy policy, ScriptedFlow flow) {
        return new CallRequest(attemptId, "camp1", "contact-" + attemptId, phone, Map.of("name", "Ann"), trunk(amd), 1,
                "ch-" + attemptId, amd, policy, flow, Map.of());
    }

    /** Originates reply after replaying every event of the transcript (events beat the HTTP reply). */
    private void replayOnOriginate(String transcript) {
        fake.handler = r -> r.method().equals("POST") && r.path().equals("/channels")
                ? new FakeAri.Reply(200, "{\"id\":\"" + r.params().get("channelId") + "\"}",
                        FakeAri.transcriptEvents(transcript, r.params().get("channelId")))
                : null;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"102.jsonl,BUSY,0", "103_timeout_5.jsonl,NO_ANSWER,19", "104.jsonl,CONGESTION,0", "112.jsonl,BUSY,17",
        "114.jsonl,CONGESTION,34", "999.jsonl,FAILED,0"})
    void unansweredCallsEndWithTheOutcomeOfTheirTranscriptEvenWhenEventsBeatTheReply(String transcript,
                                                                                      OutcomeKind kind, int cause) {
        replayOnOriginate(transcript);
        CallRecord r = engine.originate(request("a1", "+15551230000", false, null, null)).await();
        assertThat(r.outcome().kind()).isEqualTo(kind);
        assertThat(r.outcome().cause()).isEqualTo(cause);
        assertThat(r.state()).isEqualTo(CallState.ENDED);
        assertThat(r.callerId()).isEqualTo("+15550000001");
        assertThat(r.originateAt()).isNotNull();
        assertThat(r.endAt()).isNotNull();
        assertThat(ended).containsExactly(r);
        assertThat(engine.activeCalls()).isZero();
    }

    @Test
    void answeredCallPlaysTakesDtmfAndEndsAnsweredWithTheFlowResult() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{\"id\":\"" + id + "\"}", List.of(dial(id, "RINGING"), stasisStart(id)));
            }
            if (r.path().contains("/play/")) {
                String pb = r.path().substring(r.path().lastIndexOf('/') + 1);
                String ch = r.path().split("/")[2];
                vertx.setTimer(20, t -> fake.send(playbackFinished(pb, ch, "done")));
                return new FakeAri.Reply(201, "{}", List.of());
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/channels/")) {
                String ch = r.path().substring(10);
                return new FakeAri.Reply(204, null, List.of(stasisEnd(ch), destroyed(ch, 16)));
            }
            return null;
        };
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.play("p1", List.of(new Prompt.Media("sound:hello"),
                new Prompt.Media("sound:menu"))), (s, e) -> {
                    if (e instanceof CallEvent.PlaybackFinished) {
                        fake.send(dtmf("ch-a2", "1"));
                    } else if (e instanceof CallEvent.DtmfReceived) {
                        s.control.hangup(CallControl.HangupReason.NORMAL);
                    }
                });
        CallRecord r = engine.originate(request("a2", "+15551230000", false, null, flow)).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(r.dtmf()).isEqualTo("1");
        assertThat(r.flowResult().answers()).containsEntry("menu", "1");
        assertThat(r.ringAt()).isNotNull();
        assertThat(r.answerAt()).isNotNull();
        assertThat(flow.events).containsSubsequence(new CallEvent.PlaybackFinished("p1", CallEvent.PlaybackStatus.DONE),
                new CallEvent.DtmfReceived('1'), new CallEvent.HungUp(false, 16));
        assertThat(flow.infos.get(0).contactFields()).containsEntry("name", "Ann");
        assertThat(fake.requests).filteredOn(q -> q.path().contains("/play/")).extracting(FakeAri.Request::path)
                .containsExactly("/channels/ch-a2/play/p1.0", "/channels/ch-a2/play/p1.1");
    }

    @Test
    void stoppedPlaybackIsReportedStoppedAlthoughAsteriskSaysDone() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{\"id\":\"" + id + "\"}", List.of(stasisStart(id)));
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/playbacks/")) {
                return new FakeAri.Reply(204, null, List.of(playbackFinished(r.path().substring(11), "ch-a3", "done")));
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/channels/")) {
                return new FakeAri.Reply(204, null, List.of(destroyed(r.path().substring(10), 16)));
            }
            return null;
        };
        ScriptedFlow flow = new ScriptedFlow(s -> {
            s.control.play("p1", List.of(new Prompt.Media("sound:long")));
            s.control.startTimer("t", Duration.ofMillis(30));
        }, (s, e) -> {
            if (e instanceof CallEvent.TimerFired) {
                s.control.stopPlayback("p1");
            } else if (e instanceof CallEvent.PlaybackFinished) {
                s.control.hangup(CallControl.HangupReason.NORMAL);
            }
        });
        engine.originate(request("a3", "+15551230000", false, null, flow)).await();
        assertThat(flow.events).contains(new CallEvent.PlaybackFinished("p1", CallEvent.PlaybackStatus.STOPPED));
    }

    @Test
    void flowTimersGoThroughTheInjectedTimersOnTheCallsContext() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{\"id\":\"" + id + "\"}", List.of(stasisStart(id)));
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/channels/")) {
                return new FakeAri.Reply(204, null, List.of(destroyed(r.path().substring(10), 16)));
            }
            return null;
        };
        java.util.Map<Long, Runnable> pending = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<Long> delays = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        engine.useFlowTimers(new FlowTimers() {
            @Override
            public long set(long delayMillis, Runnable task) {
                io.vertx.core.Context ctx = io.vertx.core.Vertx.currentContext();
                long id = ids.incrementAndGet();
                delays.add(delayMillis);
                pending.put(id, () -> ctx.runOnContext(v -> task.run()));
                return id;
            }

            @Override
            public void cancel(long id) {
                pending.remove(id);
            }
        });
        ScriptedFlow flow = new ScriptedFlow(s -> {
            s.control.startTimer("gone", Duration.ofMinutes(10));
            s.control.cancelTimer("gone");
            s.control.startTimer("noInput", Duration.ofHours(1));
        }, (s, e) -> {
            if (e instanceof CallEvent.TimerFired) {
                s.control.hangup(CallControl.HangupReason.NORMAL);
            }
        });
        var call = engine.originate(request("a9", "+15551230000", false, null, flow));
        await().atMost(Duration.ofSeconds(10)).until(() -> pending.size() == 1);
        assertThat(delays).containsExactly(600_000L, 3_600_000L);
        pending.values().iterator().next().run(); // an hour of flow time, at once
        CallRecord r = call.await();
        assertThat(flow.events).contains(new CallEvent.TimerFired("noInput"));
        assertThat(flow.events).doesNotContain(new CallEvent.TimerFired("gone"));
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
    }

    @Test
    void aDuplicateChannelIdIsRefusedWithoutDisturbingTheLiveCall() {
        fake.handler = r -> r.method().equals("POST") && r.path().equals("/channels")
                ? new FakeAri.Reply(200, "{}", List.of(dial(r.params().get("channelId"), "RINGING"))) : null;
        Future<CallRecord> first = engine.originate(request("d1", "+15551230000", false, null, null));
        CallRequest same = new CallRequest("d2", null, null, "+15551230000", Map.of(), trunk(false), 1, "ch-d1", false,
                null, null, Map.of());
        CallRecord refused = engine.originate(same).await();
        assertThat(refused.outcome().detail()).contains("already in use");
        fake.send(destroyed("ch-d1", 17));
        assertThat(first.await().outcome().kind()).isEqualTo(OutcomeKind.BUSY);
    }

    @Test
    void originateRefusedByAriEndsFailedWithAsterisksReason() {
        fake.handler = r -> r.method().equals("POST") && r.path().equals("/channels")
                ? new FakeAri.Reply(500, "{\"error\":\"Allocation failed\"}", List.of()) : null;
        CallRecord r = engine.originate(request("a4", "+15551230000", false, null, null)).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.FAILED);
        assertThat(r.outcome().detail()).contains("HTTP 500").contains("Allocation failed");
    }

    @Test
    void aRequestThatNeverGotAConnectionIsToldApartFromOneThatGotNoReply() {
        int closed = io.outdial.dialer.support.TestConfigs.freePort();
        Throwable refused = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.POST, closed, "127.0.0.1",
                "/ari/channels").compose(io.vertx.core.http.HttpClientRequest::send)
                .map(r -> (Throwable) null).otherwise(e -> e).await();
        assertThat(CallEngine.neverConnected(new io.outdial.dialer.ari.AriException("ast1", "POST", "/channels", 0,
                refused.getMessage(), refused))).as(refused.toString()).isTrue();
        assertThat(CallEngine.neverConnected(new io.outdial.dialer.ari.AriException("ast1", "POST", "/channels", 0,
                "Connection was closed", new io.vertx.core.http.HttpClosedException("closed")))).isFalse();
    }

    @Test
    void originateWhileTheServerIsDownEndsAtOnceNotPlacedWithoutDialing() {
        server.stop().await();
        int before = fake.requests.size();
        CallRecord r = engine.originate(request("a5", "+15551230000", false, null, null)).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.NOT_PLACED);
        assertThat(r.outcome().detail()).contains("not ready");
        assertThat(fake.requests).hasSize(before);
    }

    @Test
    void afterAWebsocketDropLiveCallsAreReattachedAndVanishedOnesEndLost() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{\"id\":\"" + id + "\"}", List.of(dial(id, "RINGING")));
            }
            return null;
        };
        Future<CallRecord> live = engine.originate(request("live", "+15551230000", false, null,
                new ScriptedFlow(s -> { }, (s, e) -> { })));
        Future<CallRecord> gone = engine.originate(request("gone", "+15551230001", false, null, null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> engine.activeCalls() == 2
                && fake.requests.stream().filter(q -> q.path().equals("/channels")).count() == 2);
        // The live call was answered while no websocket was connected: Asterisk lists it in Stasis.
        fake.channels.put("ch-live", new io.vertx.core.json.JsonObject().put("id", "ch-live").put("state", "Up")
                .put("dialplan", new io.vertx.core.json.JsonObject().put("app_name", "Stasis")
                        .put("app_data", "dialer,attempt=live")));
        fake.dropSockets();
        CallRecord lost = gone.await();
        assertThat(lost.outcome().kind()).isEqualTo(OutcomeKind.LOST);
        assertThat(live.isComplete()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> fake.sockets() == 1);
        fake.send(destroyed("ch-live", 16));
        CallRecord answered = live.await();
        assertThat(answered.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(answered.answerAt()).isNotNull();
    }

    @Test
    void aFailedReconcileAfterReconnectIsRetriedUntilItSucceeds() {
        java.util.concurrent.atomic.AtomicInteger listings = new java.util.concurrent.atomic.AtomicInteger();
        fake.handler = r -> {
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{}", List.of(dial(r.params().get("channelId"), "RINGING")));
            }
            if (r.method().equals("GET") && r.path().equals("/channels") && listings.incrementAndGet() <= 2) {
                return new FakeAri.Reply(503, "{\"message\":\"busy\"}", List.of());
            }
            return null;
        };
        Future<CallRecord> call = engine.originate(request("rr", "+15551230000", false, null, null));
        await().atMost(10, TimeUnit.SECONDS).until(() -> engine.activeCalls() == 1);
        fake.dropSockets();
        assertThat(call.await().outcome().kind()).isEqualTo(OutcomeKind.LOST);
        assertThat(listings.get()).isEqualTo(3);
    }

    @Test
    void amdMachineIsHungUpAndEndsMachineWhileHumanReachesTheFlowWithItsVerdict() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                String verdict = r.params().get("endpoint").contains("7@") ? "[\"MACHINE\",\"MAXWORDS-3-2\"]"
                        : "[\"HUMAN\",\"HUMAN-803-800\"]";
                vertx.setTimer(20, t -> fake.send("{\"type\":\"StasisStart\",\"args\":" + verdict
                        + ",\"channel\":{\"id\":\"" + id + "\",\"state\":\"Up\"}}"));
                return FakeAri.ok("{\"id\":\"" + id + "\"}");
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/channels/")) {
                return new FakeAri.Reply(204, null, List.of(destroyed(r.path().substring(10), 16)));
            }
            return null;
        };
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.hangup(CallControl.HangupReason.NORMAL), (s, e) -> { });
        CallRecord machine = engine.originate(request("m", "+15551230007", true, MachinePolicy.HANG_UP, flow)).await();
        assertThat(machine.outcome().kind()).isEqualTo(OutcomeKind.MACHINE);
        assertThat(machine.amdStatus()).isEqualTo("MACHINE");
        assertThat(flow.infos).isEmpty();
        CallRecord human = engine.originate(request("h", "+15551230000", true, MachinePolicy.HANG_UP, flow)).await();
        assertThat(human.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(flow.infos).singleElement().satisfies(i -> {
            assertThat(i.amdStatus()).isEqualTo("HUMAN");
            assertThat(i.amdCause()).isEqualTo("HUMAN-803-800");
        });
        FakeAri.Request originate = fake.requests.stream().filter(q -> q.path().equals("/channels")).findFirst()
                .orElseThrow();
        assertThat(originate.params()).containsEntry("context", "dialer-amd").containsEntry("extension", "s")
                .containsEntry("priority", "1").doesNotContainKey("app");
        assertThat(fake.requests).extracting(q -> q.path() + "?" + q.params().get("eventSource"))
                .contains("/applications/dialer/subscription?channel:ch-m");
    }

    @Test
    void transferBridgesBothLegsAndCleansUpWhenTheTargetHangsUp() {
        fake.handler = r -> {
            String id = r.params().get("channelId");
            if (r.method().equals("POST") && r.path().equals("/channels")) {
                return new FakeAri.Reply(200, "{\"id\":\"" + id + "\"}", List.of(stasisStart(id)));
            }
            if (r.path().endsWith("/addChannel")) {
                String b = r.params().get("channel").split(",")[1];
                vertx.setTimer(30, t -> fake.send(destroyed(b, 16)));
            }
            if (r.method().equals("DELETE") && r.path().startsWith("/channels/")) {
                return new FakeAri.Reply(204, null, List.of(destroyed(r.path().substring(10), 16)));
            }
            return null;
        };
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.transfer("x1",
                new CallControl.TransferRequest("+15559990000", null, Duration.ofSeconds(20), null)), (s, e) -> {
                    if (e instanceof CallEvent.TransferFinished) {
                        s.finish(io.outdial.ivr.spi.FlowResult.Completion.COMPLETED);
                    }
                });
        CallRecord r = engine.originate(request("t", "+15551230000", false, null, flow)).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(flow.events.get(0)).isInstanceOfSatisfying(CallEvent.TransferFinished.class,
                t -> assertThat(t.status()).isEqualTo(CallEvent.TransferStatus.BRIDGED));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(fake.requests)
                .extracting(q -> q.method() + " " + q.path().replaceAll("ch-t-x[0-9a-f]+", "B"))
                .contains("POST /bridges/br-B", "POST /bridges/br-B/addChannel", "DELETE /channels/ch-t",
                        "DELETE /bridges/br-B"));
    }

    static String dial(String id, String status) {
        return "{\"type\":\"Dial\",\"dialstatus\":\"" + status + "\",\"peer\":{\"id\":\"" + id
                + "\",\"state\":\"Ringing\"}}";
    }

    static String stasisStart(String id) {
        return "{\"type\":\"StasisStart\",\"args\":[],\"channel\":{\"id\":\"" + id + "\",\"state\":\"Up\"}}";
    }

    static String stasisEnd(String id) {
        return "{\"type\":\"StasisEnd\",\"channel\":{\"id\":\"" + id + "\"}}";
    }

    static String destroyed(String id, int cause) {
        return "{\"type\":\"ChannelDestroyed\",\"cause\":" + cause + ",\"channel\":{\"id\":\"" + id + "\"}}";
    }

    static String dtmf(String id, String digit) {
        return "{\"type\":\"ChannelDtmfReceived\",\"digit\":\"" + digit + "\",\"channel\":{\"id\":\"" + id + "\"}}";
    }

    static String playbackFinished(String pb, String ch, String state) {
        return "{\"type\":\"PlaybackFinished\",\"playback\":{\"id\":\"" + pb + "\",\"target_uri\":\"channel:" + ch
                + "\",\"state\":\"" + state + "\"}}";
    }
}

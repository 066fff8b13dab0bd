package io.outdial.sandbox.pbx.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parity with a real Asterisk 22: every capture in asterisk-reference/events is replayed against a fresh sandbox
 * PBX (same REST calls at the same virtual times, same websocket opens and closes) and what comes back must match:
 * each REST status and normalized body, each channel's event sequence (full event JSON without ids and
 * timestamps), the simulated durations on the originated channel, the events that arrive before an HTTP reply,
 * and the media server hits. Runs at time scale {@value #SCALE}: 30 s of call take 3 s; everything shares one
 * event loop so that the sandbox's and the client's timers keep their order when the machine stalls.
 */
class TranscriptParityIT {

    static final double SCALE = 10;
    private static final List<String> ALL = List.of("100", "100_cid", "100_entry", "100_n", "100_play_hangup", "101",
        "102", "103", "103_timeout_5", "104", "105", "106_play", "112", "114", "999", "amd_human", "amd_machine",
        "amd_notsure", "amd_silence_frames", "application_replaced", "barge_in", "callee_hangup_during_playback",
        "originate_after_ws_closed", "originate_variables_callerid", "playback_http", "record", "transfer_bridge",
        "ws_reconnect", "ws_reconnect_call_ended");

    private static Vertx vertx;
    private static HttpServer media;
    private static final Map<String, Integer> mediaGets = new ConcurrentHashMap<>();

    @BeforeAll
    static void startMediaServer() {
        // One event loop for the sandbox, the test client and the media server: their timers then fire in deadline
        // order, so a stall of the machine delays both sides alike instead of reordering them.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer prompt = wav(4920);
        Buffer shortPrompt = wav(1000);
        media = vertx.createHttpServer().requestHandler(req -> {
            mediaGets.merge(req.path(), 1, Integer::sum);
            if ("/prompt.wav".equals(req.path())) {
                req.response().putHeader("Content-Type", "audio/x-wav").end(prompt);
            } else if ("/p.wav".equals(req.path())) {
                req.response().putHeader("Content-Type", "audio/x-wav").end(shortPrompt);
            } else {
                req.response().setStatusCode(404).end("File not found");
            }
        }).listen(0, "127.0.0.1").await();
        warmUp();
    }

    /** One untimed run so that class loading and JIT do not distort the first capture's timing. */
    private static void warmUp() {
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withTimeScale(SCALE)).await();
        Transcript t = Transcript.load("105");
        new ScenarioRunner(vertx, pbx, t, s -> s, new Normalizer(t.observed, null), null).run(0).await();
        pbx.close().await();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    /** All captures, or those named in -Dparity.only=a,b (to debug one). */
    static List<String> transcripts() {
        String only = System.getProperty("parity.only");
        return only == null || only.isBlank() ? ALL : List.of(only.split(","));
    }

    @Test
    void everyCaptureIsCovered() {
        assertThat(Transcript.names()).containsExactlyInAnyOrderElementsOf(ALL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void sandboxReplaysTheCaptureLikeAsterisk(String name) throws Exception {
        Transcript transcript = Transcript.load(name);
        mediaGets.clear();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withTimeScale(SCALE))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String port = Integer.toString(media.actualPort());
        List<LogItem> expected = transcript.observed;
        Normalizer want = new Normalizer(expected, null);
        List<LogItem> actual;
        ScenarioRunner runner;
        try {
            runner = new ScenarioRunner(vertx, pbx, transcript,
                s -> s.replace(":18080/", ":" + port + "/"), want, port);
            actual = runner.run(1500).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } finally {
            pbx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        Normalizer got = new Normalizer(actual, port);

        if (System.getProperty("parity.only") != null) {
            actual.forEach(i -> System.out.println("sandbox " + i.millis() + " " + i.kind() + " " + i.name() + " "
                + (i.isEvent() ? got.stream(i) + " " + AriTestClient.describe((JsonObject) i.body())
                : String.valueOf(i.status()))));
        }
        compareRest(expected, actual, want, got);
        Map<String, List<LogItem>> wantStreams = streams(expected, want);
        Map<String, List<LogItem>> gotStreams = streams(actual, got);
        assertThat(gotStreams.keySet()).as("event streams (websocket, channel)")
            .containsExactlyInAnyOrderElementsOf(wantStreams.keySet());
        for (String stream : wantStreams.keySet()) {
            assertSameEvents(stream, encoded(wantStreams.get(stream), want), encoded(gotStreams.get(stream), got));
            if (stream.endsWith(";1") || stream.endsWith("A")) {
                compareTiming(stream, wantStreams.get(stream), gotStreams.get(stream));
            }
        }
        compareEventsBeforeReplies(expected, actual, want, got);
        if (!transcript.mediaGets.isEmpty()) {
            assertThat(mediaGets).as("GETs on the media server").isEqualTo(transcript.mediaGets);
        }
    }

    private static void compareRest(List<LogItem> expected, List<LogItem> actual, Normalizer want, Normalizer got) {
        List<LogItem> wantRest = expected.stream().filter(LogItem::isRest).toList();
        List<LogItem> gotRest = actual.stream().filter(LogItem::isRest).toList();
        assertThat(gotRest.stream().map(LogItem::name).toList()).as("REST calls")
            .containsExactlyElementsOf(wantRest.stream().map(LogItem::name).toList());
        for (int i = 0; i < wantRest.size(); i++) {
            LogItem w = wantRest.get(i);
            LogItem g = gotRest.get(i);
            assertThat(g.status()).as("status of REST call #" + i + " " + w.name()).isEqualTo(w.status());
            if (w.body() instanceof LogItem.Binary) {
                LogItem.Binary wb = (LogItem.Binary) w.body();
                LogItem.Binary gb = (LogItem.Binary) g.body();
                assertThat(gb.contentType()).isEqualTo(wb.contentType());
                assertThat(List.of(gb.channels(), gb.rate(), gb.bits())).as("WAV format")
                    .containsExactly(wb.channels(), wb.rate(), wb.bits());
                assertThat(gb.seconds()).as("WAV length").isCloseTo(wb.seconds(), org.assertj.core.data.Offset.offset(0.1));
            } else {
                assertThat(String.valueOf(got.normalize(g.body()))).as("body of REST call #" + i + " " + w.name())
                    .isEqualTo(String.valueOf(want.normalize(w.body())));
            }
        }
    }

    /** Fails with a readable line-by-line comparison when the two event sequences differ. */
    private static void assertSameEvents(String stream, List<String> want, List<String> got) {
        if (want.equals(got)) {
            return;
        }
        StringBuilder out = new StringBuilder("events of " + stream + " differ (capture vs sandbox):\n");
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String w = i < want.size() ? want.get(i) : "-";
            String g = i < got.size() ? got.get(i) : "-";
            out.append(w.equals(g) ? "  = " : "  ! ").append(i).append(" capture: ").append(w).append('\n');
            if (!w.equals(g)) {
                out.append("      sandbox: ").append(g).append('\n');
            }
        }
        throw new AssertionError(out.toString());
    }

    private static Map<String, List<LogItem>> streams(List<LogItem> log, Normalizer n) {
        Map<String, List<LogItem>> out = new LinkedHashMap<>();
        for (LogItem item : log) {
            if (item.isEvent()) {
                out.computeIfAbsent(n.stream(item), k -> new ArrayList<>()).add(item);
            }
        }
        return out;
    }

    private static List<String> encoded(List<LogItem> items, Normalizer n) {
        return items.stream().map(i -> ((JsonObject) n.normalize(i.body())).encode()).toList();
    }

    /**
     * The simulated durations are there: where the capture waited at least 1 s between consecutive events of the
     * originated channel (DTMF after answer, prompt lengths, callee hang-up, no-answer timeout, AMD decision), the
     * sandbox's event does not come earlier, counted from the channel's first event, than the capture's (within
     * 10 % or 0.4 s). Only that bound is checked: a busy machine delays events by any amount, so how much later
     * they come, and any gap between two of them, measures the machine, not the sandbox.
     */
    private static void compareTiming(String stream, List<LogItem> want, List<LogItem> got) {
        for (int i = 1; i < want.size(); i++) {
            long w = want.get(i).millis() - want.get(i - 1).millis();
            if (w < 1000) {
                continue;
            }
            long wantSinceFirst = want.get(i).millis() - want.get(0).millis();
            long gotSinceFirst = got.get(i).millis() - got.get(0).millis();
            assertThat((double) gotSinceFirst).as(stream + " event #" + i + " " + want.get(i).name()
                    + ": ms since the channel's first event")
                .isGreaterThanOrEqualTo(wantSinceFirst - Math.max(400.0, w * 0.1));
        }
    }

    /**
     * Events that reached the capturing app within 2 ms before a REST reply (caused by that request, e.g. Dial BUSY
     * before the originate reply, PlaybackStarted before 201) must also reach the sandbox client before that reply.
     */
    private static void compareEventsBeforeReplies(List<LogItem> expected, List<LogItem> actual, Normalizer want,
                                                   Normalizer got) {
        Map<LogItem, Integer> wantPos = streamPositions(expected, want);
        Map<LogItem, Integer> gotPos = streamPositions(actual, got);
        List<LogItem> gotRest = actual.stream().filter(LogItem::isRest).toList();
        int restIndex = -1;
        for (int i = 0; i < expected.size(); i++) {
            LogItem rest = expected.get(i);
            if (!rest.isRest()) {
                continue;
            }
            restIndex++;
            int gotRestAt = actual.indexOf(gotRest.get(restIndex));
            for (int j = i - 1; j >= 0 && expected.get(j).isEvent(); j--) {
                LogItem event = expected.get(j);
                if (rest.millis() - event.millis() > 2) {
                    break;
                }
                if ("ChannelDialplan".equals(event.name())) {
                    continue;
                }
                String stream = want.stream(event);
                int position = wantPos.get(event);
                LogItem twin = actual.stream().filter(a -> a.isEvent() && got.stream(a).equals(stream)
                    && gotPos.get(a) == position).findFirst().orElseThrow();
                assertThat(actual.indexOf(twin)).as(event.name() + " on " + stream + " arrives before the reply to "
                    + rest.name()).isLessThan(gotRestAt);
            }
        }
    }

    private static Map<LogItem, Integer> streamPositions(List<LogItem> log, Normalizer n) {
        Map<LogItem, Integer> out = new java.util.IdentityHashMap<>();
        Map<String, Integer> counters = new java.util.HashMap<>();
        for (LogItem item : log) {
            if (item.isEvent()) {
                out.put(item, counters.merge(n.stream(item), 1, Integer::sum) - 1);
            }
        }
        return out;
    }

    /** An 8 kHz 16-bit mono WAV of silence, {@code millis} long. */
    static Buffer wav(long millis) {
        int bytes = (int) (millis * 16);
        Buffer b = Buffer.buffer();
        b.appendString("RIFF").appendIntLE(36 + bytes).appendString("WAVE").appendString("fmt ").appendIntLE(16)
            .appendShortLE((short) 1).appendShortLE((short) 1).appendIntLE(8000).appendIntLE(16000)
            .appendShortLE((short) 2).appendShortLE((short) 16).appendString("data").appendIntLE(bytes);
        return b.appendBuffer(Buffer.buffer(new byte[bytes]));
    }
}

package io.outdial.dialer.flow;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordStore;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.server.ProblemHandler;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowRunner;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.survey.SurveyReport;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.TtsCache;
import io.outdial.ivr.tts.TtsRegistry;
import io.outdial.ivr.tts.Wav;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The 3-question survey end to end: the real sandbox PBX over loopback, the real call engine and flow interpreter,
 * TTS rendered by {@link PromptMedia} and fetched by the sandbox over HTTP from the media route, results stored in
 * call_records and aggregated. The sandbox runs at {@link #SCALE}x speed; callee key times are computed from the
 * real lengths of the rendered prompts.
 */
@Timeout(120)
class SurveyFlowIT {
    static final double SCALE = 4;
    static final String CAMPAIGN = "survey-e2e";
    /** Virtual time the callee waits after a prompt should have ended before pressing (covers dialer latency). */
    static final long MARGIN_MS = 1500;
    @TempDir
    static Path dir;
    static Vertx vertx;
    static SandboxPbx pbx;
    static AriServer server;
    static CallEngine engine;
    static PromptMedia media;
    static DataSource db;
    static JdbcFlowStore flows;
    static FlowRunner survey;
    static Flow flow;
    static Trunk trunk;
    static final AtomicInteger IDS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        var httpServer = vertx.createHttpServer().requestHandler(router);
        MediaConfig config = new MediaConfig("", dir.resolve("media").toString(), "", Duration.ofHours(1));
        media = new PromptMedia(vertx, config, () -> "http://127.0.0.1:" + httpServer.actualPort(),
            () -> new TtsRegistry(List.of(new FreeTtsEngine())), null);
        media.routes(router);
        router.route().failureHandler(new ProblemHandler());
        httpServer.listen(0, "127.0.0.1").await();
        media.start().await();
        pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")
            .withTimeScale(SCALE)).await();
        server = new AriServer(vertx, new AriServerConfig("sandbox", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
            "dialer", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(1)),
            Clock.systemUTC());
        trunk = new Trunk(new TrunkConfig("carrier", "PJSIP/{number}@carrier", List.of("+15550000001"), false, 100,
            50, Duration.ofSeconds(3), false));
        db = MigratedDatabases.h2();
        engine = new CallEngine(vertx, server, media, name -> trunk, Clock.systemUTC(),
            new CallRecordWriter(Database.open(vertx, db, "test", 2)).listener(CallListener.NONE));
        server.start().await();
        flows = new JdbcFlowStore(db, Clock.systemUTC(), new TtsRegistry(List.of(new FreeTtsEngine())));
        Path example = Path.of("../ivr/examples/survey-3-questions.json");
        flows.save("satisfaction-survey", Files.readString(example), FlowDocuments.Format.JSON);
        assertThat(flows.attachable("satisfaction-survey", 1)).isTrue();
        // Attach as a campaign would: valid version only, one runner, every static text rendered ahead. The intro
        // has contact variables, so its one resolution is warmed too (FreeTTS time would skew the callee's timing).
        FlowAttachments.Attached attached = new FlowAttachments(vertx, flows, media::renderAhead)
            .attach("satisfaction-survey", 1).await();
        survey = attached.runner();
        flow = attached.flow();
        TtsCache.RenderAheadReport ahead = attached.rendered();
        assertThat(ahead.failures()).isEmpty();
        assertThat(ahead.rendered() + ahead.alreadyCached()).isGreaterThanOrEqualTo(6);
        media.resolveTts(INTRO, "freetts", "kevin16").await();
    }

    static final String INTRO = "Hello there, this is a short survey from our company.";

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop().await();
        }
        if (pbx != null) {
            pbx.close().await();
        }
        vertx.close().await();
    }

    /** The virtual length in ms of a rendered prompt (WAV length; the sandbox plays it for exactly that long). */
    static long ms(String text) throws Exception {
        Path wav = dir.resolve("media/tts/" + TtsCache.key(new Prompt.Tts(text, "freetts", "kevin16")) + ".wav");
        return Math.round(Wav.decode(Files.readAllBytes(wav), text).seconds() * 1000);
    }

    static final Map<String, String> PROMPTS = Map.of(
        "q1", "Were you happy with our service? Press 1 for yes, 2 for no.",
        "q2", "On a scale from 0 to 10, how likely are you to recommend us? Enter a number, then press hash.",
        "q3a", "Last question.",
        "q3b", "Would you like a call back from a manager? Press 1 for yes, 2 for no.");

    static CallRecord call(String phone, FlowRunner runner) {
        return call(phone, runner, CAMPAIGN);
    }

    static CallRecord call(String phone, FlowRunner runner, String campaign) {
        String id = "sv" + IDS.incrementAndGet();
        return engine.originate(new CallRequest(id, campaign, "contact-" + id, phone, Map.of(), trunk, 1, null, null,
            null, runner, Map.of())).await();
    }

    @Test
    void aScriptedCalleeAnswersTheSurveyThenResultsAreStoredAndAggregated() throws Exception {
        long t1 = ms(INTRO) + ms(PROMPTS.get("q1")) + MARGIN_MS;
        long t2 = t1 + ms(PROMPTS.get("q2")) + MARGIN_MS;
        long t3 = t2 + 300 + ms(PROMPTS.get("q3a")) + ms(PROMPTS.get("q3b")) + MARGIN_MS;
        pbx.scripts().registerNumber("+15554440001", CalleeScript.answerAfter(Duration.ofMillis(200))
            .withDigits(Duration.ofMillis(t1), "1").withDigits(Duration.ofMillis(t2), "9")
            .withDigits(Duration.ofMillis(t2 + 300), "#").withDigits(Duration.ofMillis(t3), "2"));
        double ttsBefore = ttsServed();
        CallRecord r = call("+15554440001", survey, "survey-complete");
        FlowResult result = r.flowResult();
        assertThat(result.completion()).isEqualTo(FlowResult.Completion.COMPLETED);
        assertThat(result.answers()).containsEntry("q1", "1").containsEntry("q2", "9").containsEntry("q3", "2");
        assertThat(result.path()).containsSubsequence("intro", "q1", "q2", "band", "promoter", "q3", "thanks", "bye",
            "end");
        assertThat(result.vars()).containsEntry("score_band", "promoter");
        assertThat(result.goalName()).isEqualTo("survey_completed");
        assertThat(ttsServed() - ttsBefore).as("every prompt was fetched over HTTP from the media route")
            .isGreaterThanOrEqualTo(6);
        // Stored by CallRecordWriter (on a database worker), then aggregated from the database.
        await().atMost(5, TimeUnit.SECONDS).until(() -> new CallRecordStore(db).find(r.attemptId())
            .map(s -> s.flowResult() != null).orElse(false));
        SurveyReport report = new FlowResults(db).aggregates(flow, "survey-complete");
        assertThat(report.runs()).isEqualTo(1);
        assertThat(report.completed()).isEqualTo(1);
        assertThat(report.completionRate()).isEqualTo(1.0);
        assertThat(report.questions()).extracting(SurveyReport.QuestionStats::nodeId).containsExactly("q1", "q2", "q3");
        assertThat(report.questions().get(0).counts()).containsExactly(Map.entry("1", 1L), Map.entry("2", 0L));
        assertThat(report.questions().get(1).counts()).containsExactly(Map.entry("9", 1L));
        assertThat(report.questions().get(2).counts()).containsExactly(Map.entry("1", 0L), Map.entry("2", 1L));
        assertThat(report.dropOffByNode().values()).allMatch(n -> n == 0L);
    }

    @Test
    void aCalleeWhoHangsUpDuringQuestionTwoIsRecordedAsLeftEarly() throws Exception {
        long t1 = ms(INTRO) + ms(PROMPTS.get("q1")) + MARGIN_MS;
        pbx.scripts().registerNumber("+15554440002", CalleeScript.answerAfter(Duration.ofMillis(200))
            .withDigits(Duration.ofMillis(t1), "2").withHangupAfter(Duration.ofMillis(t1 + MARGIN_MS)));
        CallRecord r = call("+15554440002", survey, "survey-left");
        FlowResult result = r.flowResult();
        assertThat(result.completion()).isEqualTo(FlowResult.Completion.LEFT_EARLY);
        assertThat(result.endNode()).isEqualTo("q2");
        assertThat(result.answers()).containsExactly(Map.entry("q1", "2"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> new CallRecordStore(db).find(r.attemptId())
            .map(s -> s.flowResult() != null).orElse(false));
        SurveyReport report = new FlowResults(db).aggregates(flow, "survey-left");
        assertThat(report.runs()).isEqualTo(1);
        assertThat(report.leftEarly()).isEqualTo(1);
        assertThat(report.completionRate()).isZero();
        assertThat(report.dropOffByNode()).containsEntry("q2", 1L);
        assertThat(report.questions().get(1).reached()).isEqualTo(1);
        assertThat(report.questions().get(1).answered()).isZero();
    }

    @Test
    void aKeyDuringAPromptStopsItAndCountsAsTheAnswer() throws Exception {
        long midQ1 = ms(INTRO) + ms(PROMPTS.get("q1")) / 2;
        pbx.scripts().registerNumber("+15554440003", CalleeScript.answerAfter(Duration.ofMillis(200))
            .withDigits(Duration.ofMillis(midQ1), "1").withHangupAfter(Duration.ofMillis(midQ1 + MARGIN_MS)));
        Observed observed = new Observed(survey);
        CallRecord r = call("+15554440003", observed);
        assertThat(r.flowResult().answers()).containsEntry("q1", "1");
        int key = indexOf(observed.events, e -> e instanceof CallEvent.DtmfReceived);
        assertThat(key).isNotNegative();
        assertThat(observed.events.subList(0, key)).as("the intro played to its end before the key")
            .filteredOn(e -> e instanceof CallEvent.PlaybackFinished).hasSize(1)
            .allSatisfy(e -> assertThat(((CallEvent.PlaybackFinished) e).status())
                .isEqualTo(CallEvent.PlaybackStatus.DONE));
        assertThat(observed.events.subList(key, observed.events.size())).as("the key stopped the q1 prompt")
            .filteredOn(e -> e instanceof CallEvent.PlaybackFinished).first()
            .satisfies(e -> assertThat(((CallEvent.PlaybackFinished) e).status())
                .isEqualTo(CallEvent.PlaybackStatus.STOPPED));
    }

    @Test
    void aTtsPromptIsFetchedOverHttpAndPlaysForTheLengthOfItsWav() throws Exception {
        String text = "This prompt is fetched by the sandbox over HTTP.";
        pbx.scripts().registerNumber("+15554440004", CalleeScript.answerAfter(Duration.ofMillis(100)));
        long[] startedAt = new long[1];
        long[] finishedAt = new long[1];
        ScriptedFlow one = new ScriptedFlow(s -> {
            startedAt[0] = pbx.clock().nowMillis();
            s.control.play("pb-len", List.of(new Prompt.Tts(text, "freetts", "kevin16")));
        }, (s, e) -> {
            if (e instanceof CallEvent.PlaybackFinished) {
                finishedAt[0] = pbx.clock().nowMillis();
                s.control.hangup(CallControl.HangupReason.NORMAL);
            }
        });
        double before = ttsServed();
        call("+15554440004", one);
        assertThat(one.events).filteredOn(e -> e instanceof CallEvent.PlaybackFinished).first()
            .isEqualTo(new CallEvent.PlaybackFinished("pb-len", CallEvent.PlaybackStatus.DONE));
        assertThat(ttsServed() - before).isEqualTo(1.0);
        long wavMs = ms(text);
        long played = finishedAt[0] - startedAt[0];
        assertThat(wavMs).isGreaterThan(1500);
        org.slf4j.LoggerFactory.getLogger(SurveyFlowIT.class).info("TTS prompt of {} ms played {} virtual ms"
            + " (time scale {})", wavMs, played, SCALE);
        // Virtual time includes the first render (FreeTTS) and the fetch, both real time scaled by SCALE.
        assertThat(played).as("played %d virtual ms for a %d ms WAV", played, wavMs)
            .isGreaterThanOrEqualTo(wavMs).isLessThan(wavMs + 20_000);
    }

    private static double ttsServed() {
        var c = media.meters().find("outdial_media_requests_total").tags("kind", "tts", "status", "200").counter();
        return c == null ? 0 : c.count();
    }

    private static int indexOf(List<CallEvent> events, java.util.function.Predicate<CallEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A runner that records every event its sessions get. */
    static final class Observed implements FlowRunner {
        final FlowRunner inner;
        final List<CallEvent> events = new CopyOnWriteArrayList<>();

        Observed(FlowRunner inner) {
            this.inner = inner;
        }

        @Override
        public FlowSession open(CallInfo call, CallControl control, Consumer<FlowResult> onFinished) {
            FlowSession s = inner.open(call, control, onFinished);
            return new FlowSession() {
                @Override
                public void start() {
                    s.start();
                }

                @Override
                public void onEvent(CallEvent event) {
                    events.add(event);
                    s.onEvent(event);
                }

                @Override
                public boolean isFinished() {
                    return s.isFinished();
                }
            };
        }
    }
}

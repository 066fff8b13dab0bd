package io.outdial.bench.ivr;

import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.VoiceCatalog;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.CallInfo;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.ivr.spi.FlowSession;
import io.outdial.ivr.spi.Prompt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of one whole survey call in the interpreter: open a session, start it and feed the {@value #EVENTS} call
 * events of a callee who answers three questions (9 nodes entered). The baseline feeds the same events to a
 * session that only counts them, so the ratio is the interpreter's own cost. Run with {@code -prof gc} for
 * allocations per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InterpreterStepBenchmark {

    static final int EVENTS = 8;

    static final String SURVEY = """
            {"id": "bench-survey", "version": 1, "start": "intro", "variables": {"band": ""},
             "nodes": {
              "intro": {"type": "say", "text": "Hello {{contact.first_name|there}}, a short survey.", "next": "q1"},
              "q1": {"type": "gather", "prompt": "Press 1 for yes, 2 for no.", "menu": {"1": "q2", "2": "q2"},
                     "onFail": "end"},
              "q2": {"type": "gather", "prompt": "Score 0 to 10, then hash.",
                     "digits": {"min": 1, "max": 2, "terminator": "#", "pattern": "10|[0-9]"}, "next": "band",
                     "onFail": "end"},
              "band": {"type": "branch", "cases": [{"when": {"subject": "answers.q2", "op": "ge", "value": 9},
                       "next": "promoter"}], "default": "q3"},
              "promoter": {"type": "set", "values": {"band": "promoter"}, "next": "q3"},
              "q3": {"type": "gather", "prompt": "Call back? 1 yes, 2 no.", "menu": {"1": "goal", "2": "goal"},
                     "onFail": "end"},
              "goal": {"type": "goal", "name": "done", "next": "bye"},
              "bye": {"type": "say", "text": "Thank you. Goodbye.", "next": "end"},
              "end": {"type": "hangup"}}}
            """;

    private FlowInterpreter runner;
    private CallInfo call;
    private CallEvent[] script;

    /** Remembers nothing; ids are deterministic per session so the script can be prepared once. */
    static final class NoopControl implements CallControl {
        final List<String> playbacks = new ArrayList<>();
        boolean recordIds;

        @Override
        public void play(String playbackId, List<Prompt> prompts) {
            if (recordIds) {
                playbacks.add(playbackId);
            }
        }

        @Override
        public void stopPlayback(String playbackId) {
        }

        @Override
        public void record(String recordingName, RecordOptions options) {
        }

        @Override
        public void transfer(String transferId, TransferRequest request) {
        }

        @Override
        public void startTimer(String timerId, Duration delay) {
        }

        @Override
        public void cancelTimer(String timerId) {
        }

        @Override
        public void hangup(HangupReason reason) {
        }
    }

    @Setup
    public void setup() {
        var report = FlowValidator.validate(SURVEY, FlowDocuments.Format.JSON,
                VoiceCatalog.of(Map.of("freetts", Set.of("kevin16"))));
        runner = FlowInterpreter.of(report);
        call = new CallInfo("bench-1", "+15550001", Map.of("first_name", "Ann"), "HUMAN", null);
        // Dry run to learn the playback ids the session will use.
        NoopControl probe = new NoopControl();
        probe.recordIds = true;
        FlowSession s = runner.open(call, probe, r -> { });
        s.start();
        s.onEvent(new CallEvent.PlaybackFinished(probe.playbacks.get(0), CallEvent.PlaybackStatus.DONE));
        s.onEvent(new CallEvent.DtmfReceived('1'));
        s.onEvent(new CallEvent.DtmfReceived('9'));
        s.onEvent(new CallEvent.DtmfReceived('#'));
        s.onEvent(new CallEvent.PlaybackFinished(probe.playbacks.get(3), CallEvent.PlaybackStatus.DONE));
        s.onEvent(new CallEvent.DtmfReceived('1'));
        s.onEvent(new CallEvent.PlaybackFinished(probe.playbacks.get(4), CallEvent.PlaybackStatus.DONE));
        s.onEvent(new CallEvent.HungUp(false, 16));
        script = new CallEvent[] {
            new CallEvent.PlaybackFinished(probe.playbacks.get(0), CallEvent.PlaybackStatus.DONE),
            new CallEvent.DtmfReceived('1'), new CallEvent.DtmfReceived('9'), new CallEvent.DtmfReceived('#'),
            new CallEvent.PlaybackFinished(probe.playbacks.get(3), CallEvent.PlaybackStatus.DONE),
            new CallEvent.DtmfReceived('1'),
            new CallEvent.PlaybackFinished(probe.playbacks.get(4), CallEvent.PlaybackStatus.DONE),
            new CallEvent.HungUp(false, 16)};
        FlowResult[] out = new FlowResult[1];
        FlowSession check = runner.open(call, new NoopControl(), r -> out[0] = r);
        check.start();
        for (CallEvent e : script) {
            check.onEvent(e);
        }
        if (out[0] == null || out[0].completion() != FlowResult.Completion.COMPLETED || out[0].path().size() != 9) {
            throw new IllegalStateException("benchmark script no longer completes the survey: " + out[0]);
        }
    }

    @Benchmark
    public void surveyCall(Blackhole bh) {
        FlowSession s = runner.open(call, new NoopControl(), bh::consume);
        s.start();
        for (CallEvent e : script) {
            s.onEvent(e);
        }
        bh.consume(s.isFinished());
    }

    @Benchmark
    public void baselineCountingSession(Blackhole bh) {
        int[] count = new int[1];
        FlowSession s = new FlowSession() {
            @Override
            public void start() {
                count[0]++;
            }

            @Override
            public void onEvent(CallEvent event) {
                if (event instanceof CallEvent.DtmfReceived || event instanceof CallEvent.PlaybackFinished) {
                    count[0]++;
                }
            }

            @Override
            public boolean isFinished() {
                return count[0] > EVENTS;
            }
        };
        s.start();
        for (CallEvent e : script) {
            s.onEvent(e);
        }
        bh.consume(s.isFinished());
    }
}

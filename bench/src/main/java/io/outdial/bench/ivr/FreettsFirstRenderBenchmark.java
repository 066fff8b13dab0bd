package io.outdial.bench.ivr;

import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.Wav;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first FreeTTS render in a fresh JVM, which includes loading the kevin16 voice (once per process). Single
 * shot, one per fork. The baseline is the first WAV encode in a fresh JVM (class loading of the module only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(3)
public class FreettsFirstRenderBenchmark {

    @Benchmark
    public byte[] firstRenderInProcess() {
        return new FreeTtsEngine().render(TtsBenchmark.TEXT, "kevin16");
    }

    @Benchmark
    public byte[] baselineFirstWavEncode() {
        return Wav.encode(new io.outdial.ivr.tts.PcmAudio(8000, new float[8000]));
    }
}

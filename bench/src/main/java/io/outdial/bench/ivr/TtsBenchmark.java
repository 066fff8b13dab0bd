package io.outdial.bench.ivr;

import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.tts.EspeakNgEngine;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.PcmAudio;
import io.outdial.ivr.tts.Resampler;
import io.outdial.ivr.tts.TtsCache;
import io.outdial.ivr.tts.TtsEngine;
import io.outdial.ivr.tts.TtsRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TTS costs. Cold: a full render (FreeTTS in process; espeak-ng as a child process) of a sentence whose audio
 * length is printed at setup, so time per second of audio = score / audio seconds. Warm: the same prompt through
 * the disk cache (hash + stat) and with the file read. Baselines: a stat and a read of a file of the same size,
 * and a plain decimating copy for the resampler.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TtsBenchmark {

    static final String TEXT = "Hello, this is a short customer satisfaction survey. Press 1 for yes, or 2 for no.";
    static final String TEXT_RU = "Здравствуйте! Это короткий опрос. Нажмите один, если да, или два, если нет.";

    private Path dir;
    private TtsEngine freetts;
    private TtsEngine espeak;
    private TtsCache cache;
    private Prompt.Tts prompt;
    private Path baselineFile;
    private PcmAudio oneSecond16k;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("tts-bench");
        freetts = new FreeTtsEngine();
        espeak = EspeakNgEngine.detect().orElse(null);
        List<TtsEngine> engines = new ArrayList<>(List.of(freetts));
        if (espeak != null) {
            engines.add(espeak);
        }
        cache = new TtsCache(dir.resolve("cache"), new TtsRegistry(engines));
        prompt = new Prompt.Tts(TEXT, "freetts", "kevin16");
        Path cached = cache.render(prompt);
        baselineFile = Files.write(dir.resolve("same-size.bin"), Files.readAllBytes(cached));
        System.out.printf("%nfreetts audio: %.2f s%n", (Files.size(cached) - 44) / 16000.0);
        if (espeak != null) {
            System.out.printf("espeak-ng ru audio: %.2f s%n", (espeak.render(TEXT_RU, "ru").length - 44) / 16000.0);
        }
        float[] s = new float[16_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        }
        oneSecond16k = new PcmAudio(16_000, s);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public byte[] coldFreettsRender() {
        return freetts.render(TEXT, "kevin16");
    }

    @Benchmark
    public byte[] coldEspeakRuRender() {
        return espeak == null ? new byte[0] : espeak.render(TEXT_RU, "ru");
    }

    @Benchmark
    public Path warmCacheHit() {
        return cache.render(prompt);
    }

    @Benchmark
    public byte[] warmCacheHitRead() throws IOException {
        return Files.readAllBytes(cache.render(prompt));
    }

    @Benchmark
    public boolean baselineStat() {
        return Files.isRegularFile(baselineFile);
    }

    @Benchmark
    public byte[] baselineRead() throws IOException {
        return Files.readAllBytes(baselineFile);
    }

    @Benchmark
    public PcmAudio resampleOneSecond16kTo8k() {
        return Resampler.resample(oneSecond16k, 8000);
    }

    @Benchmark
    public float[] baselineDecimateOneSecond() {
        float[] in = oneSecond16k.samples();
        float[] out = new float[in.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[2 * i];
        }
        return out;
    }
}

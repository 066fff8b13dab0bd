package io.outdial.ivr.tts;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.ivr.spi.Prompt;
import io.outdial.ivr.support.Flows;
import io.outdial.ivr.support.WavCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtsCacheTest {

    @TempDir
    Path dir;

    private final AtomicInteger renders = new AtomicInteger();

    private final TtsEngine counting = new TtsEngine() {
        @Override
        public String name() {
            return "freetts";
        }

        @Override
        public Set<String> voices() {
            return Set.of("kevin16");
        }

        @Override
        public byte[] render(String text, String voice) {
            renders.incrementAndGet();
            return WavCheck.sineWav(8000, 1, 16, 440, 0.5);
        }
    };

    @Test
    void secondRenderOfTheSameTextIsACacheHitWithoutCallingTheEngine() throws Exception {
        TtsCache cache = new TtsCache(dir, new TtsRegistry(List.of(counting)));
        Prompt.Tts tts = new Prompt.Tts("Hello", "freetts", "kevin16");
        Path first = cache.render(tts);
        Path second = cache.render(tts);
        assertThat(second).isEqualTo(first);
        assertThat(renders).hasValue(1);
        assertThat(cache.cachedFile(TtsCache.key(tts))).contains(first);
        WavCheck.assertTelephonyWav(Files.readAllBytes(first));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(first);
        }
    }

    @Test
    void keyDependsOnEngineVoiceAndText() {
        assertThat(TtsCache.key("a", "b", "c")).hasSize(64)
                .isNotEqualTo(TtsCache.key("a", "b", "d")).isNotEqualTo(TtsCache.key("a", "x", "c"))
                .isNotEqualTo(TtsCache.key("x", "b", "c"));
        assertThat(TtsCache.key("ab", "", "c")).isNotEqualTo(TtsCache.key("a", "b", "c"));
    }

    @Test
    void cachedFileRefusesKeysThatAreNotHashes() {
        TtsCache cache = new TtsCache(dir, new TtsRegistry(List.of(counting)));
        assertThat(cache.cachedFile("../../etc/passwd")).isEmpty();
        assertThat(cache.cachedFile("0".repeat(64))).isEmpty();
    }

    @Test
    void renderAheadRendersOnlyTextsWithoutTemplatesOnce() {
        TtsCache cache = new TtsCache(dir, new TtsRegistry(List.of(counting)));
        var flow = Flows.example("survey-3-questions.json").flow();
        List<Prompt.Tts> texts = TtsCache.staticTexts(flow);
        assertThat(texts).extracting(Prompt.Tts::text)
                .contains("Were you happy with our service? Press 1 for yes, 2 for no.", "Last question.")
                .noneMatch(t -> t.contains("{{"));
        TtsCache.RenderAheadReport first = cache.renderAhead(flow);
        assertThat(first.rendered()).isEqualTo(texts.size());
        assertThat(first.failures()).isEmpty();
        TtsCache.RenderAheadReport again = cache.renderAhead(flow);
        assertThat(again.rendered()).isZero();
        assertThat(again.alreadyCached()).isEqualTo(texts.size());
        assertThat(renders).hasValue(texts.size());
    }

    @Test
    void renderAheadReportsEngineFailuresWithoutStopping() {
        TtsCache cache = new TtsCache(dir, new TtsRegistry(List.of()));
        TtsCache.RenderAheadReport r = cache.renderAhead(Flows.example("broadcast-operator-unsubscribe.json").flow());
        assertThat(r.failures()).isNotEmpty().allMatch(f -> f.contains("no TTS engine \"freetts\""));
    }

    @Test
    void concurrentRendersOfTheSameTextAllGetTheCompleteFile() throws Exception {
        TtsCache cache = new TtsCache(dir, new TtsRegistry(List.of(counting)));
        Prompt.Tts tts = new Prompt.Tts("Same text", "freetts", "kevin16");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Path>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> cache.render(tts)));
            }
            for (java.util.concurrent.Future<Path> f : futures) {
                Path p = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                WavCheck.assertTelephonyWav(Files.readAllBytes(p));
            }
        } finally {
            pool.shutdownNow();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }
}

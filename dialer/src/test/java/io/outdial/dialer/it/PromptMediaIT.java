package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.prompt.PromptMedia;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.ivr.tts.FreeTtsEngine;
import io.outdial.ivr.tts.TtsRegistry;
import io.outdial.ivr.tts.Wav;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.outdial.dialer.support.TestWavs.sineWav;
import static org.assertj.core.api.Assertions.assertThat;

/** The media component in a whole node: TTS and uploaded prompts served to Asterisk over HTTP. */
@Timeout(60)
class PromptMediaIT {
    @TempDir
    static Path dataDir;
    static DialerApp app;
    static PromptMedia media;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = DialerApp.create(TestConfigs.local(dataDir).withMedia(new MediaConfig("", dataDir.resolve("media")
            .toString(), "", Duration.ofHours(2))));
        media = new PromptMedia(app.vertx(), app.config().media(), () -> "http://127.0.0.1:" + app.httpPort(),
            () -> new TtsRegistry(List.of(new FreeTtsEngine())), app.meterRegistry());
        app.add(media);
        app.start().toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        app.stop().toCompletionStage().toCompletableFuture().join();
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder req) throws Exception {
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String url(String path) {
        return "http://127.0.0.1:" + app.httpPort() + path;
    }

    @Test
    void spokenTextBecomesAnHttpSoundUriServedAsCacheableWav() throws Exception {
        String uri = media.resolveTts("Thank you for calling.", "freetts", "kevin16").await();
        assertThat(uri).matches("sound:http://127\\.0\\.0\\.1:" + app.httpPort() + "/media/tts/[0-9a-f]{64}\\.wav");
        assertThat(uri.length()).isGreaterThanOrEqualTo(28);
        HttpResponse<byte[]> res = send(HttpRequest.newBuilder(URI.create(uri.substring("sound:".length()))));
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("audio/wav");
        assertThat(res.headers().firstValue("content-length")).hasValue(Integer.toString(res.body().length));
        assertThat(res.headers().firstValue("cache-control")).hasValue("max-age=7200");
        String etag = res.headers().firstValue("etag").orElseThrow();
        assertThat(Wav.decode(res.body(), "tts").sampleRate()).isEqualTo(8000);
        HttpResponse<byte[]> again = send(HttpRequest.newBuilder(URI.create(uri.substring(6)))
            .header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(uri.substring(6)))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(res.body().length));
        assertThat(app.meterRegistry().get("outdial_media_requests_total").tags("kind", "tts", "status", "200")
            .counter().count()).isEqualTo(2.0);
    }

    @Test
    void unknownOrMalformedMediaNamesAre404() throws Exception {
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/media/tts/" + "ab".repeat(32) + ".wav"))))
            .statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/media/tts/..%2Fsecret.wav")))).statusCode())
            .isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/media/prompts/none.wav")))).statusCode())
            .isEqualTo(404);
    }

    @Test
    void anUploadedWavIsConvertedServedAndResolvedFromPromptIds() throws Exception {
        HttpResponse<byte[]> up = send(HttpRequest.newBuilder(URI.create(url("/api/v1/prompts/jingle?name=j.wav")))
            .header("Authorization", "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app))
            .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(sineWav(44100, 2, 0.5))));
        assertThat(up.statusCode()).as(new String(up.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(new String(up.body(), StandardCharsets.UTF_8)).contains("\"uri\":\"prompt:jingle\"")
            .contains("\"sourceSampleRate\":44100");
        HttpResponse<byte[]> back = send(HttpRequest.newBuilder(URI.create(url("/api/v1/prompts/jingle")))
            .header("Authorization", "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app)));
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(Wav.decode(back.body(), "jingle").sampleRate()).isEqualTo(8000);
        String uri = media.resolveMedia("prompt:jingle").await();
        assertThat(uri).isEqualTo("sound:" + url("/media/prompts/jingle.wav"));
        assertThat(send(HttpRequest.newBuilder(URI.create(uri.substring(6)))).body()).isEqualTo(back.body());
        assertThat(media.resolveMedia("sound:hello-world").await()).isEqualTo("sound:hello-world");
        assertThat(media.resolveMedia("prompt:missing").toCompletionStage().toCompletableFuture())
            .failsWithin(Duration.ofSeconds(5)).withThrowableThat().withMessageContaining("no uploaded prompt \"missing\"");
    }

    @Test
    void aWavWhoseChunkClaimsFourGigabytesIsA400BadWav() throws Exception {
        byte[] wav = sineWav(8000, 1, 0.1);
        for (int i = 16; i < 20; i++) { // the fmt chunk's size
            wav[i] = (byte) 0xFF;
        }
        HttpResponse<byte[]> res = send(HttpRequest.newBuilder(URI.create(url("/api/v1/prompts/huge?name=huge.wav")))
            .header("Authorization", "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app))
            .header("Content-Type", "audio/wav").POST(HttpRequest.BodyPublishers.ofByteArray(wav)));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("\"error\":\"bad_wav\"");
    }

    @Test
    void anMp3UploadIsRejectedWithTheClearReasonAsAJsonProblem() throws Exception {
        byte[] mp3 = "ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000 not really audio".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<byte[]> res = send(HttpRequest.newBuilder(URI.create(url("/api/v1/prompts/song?name=song.mp3")))
            .header("Authorization", "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app))
            .header("Content-Type", "audio/mpeg").POST(HttpRequest.BodyPublishers.ofByteArray(mp3)));
        assertThat(res.statusCode()).isEqualTo(400);
        assertThat(new String(res.body(), StandardCharsets.UTF_8)).contains("\"error\":\"unsupported_format\"")
            .contains("song.mp3 is MP3, not WAV");
    }

    @Test
    void withASharedSoundDirectoryAsteriskGetsAFilePathWithoutExtension() throws Exception {
        Path sounds = dataDir.resolve("asterisk-sounds");
        PromptMedia shared = new PromptMedia(app.vertx(), new MediaConfig("", "unused", sounds.toString(),
            Duration.ofHours(1)), () -> "http://127.0.0.1:1", () -> new TtsRegistry(List.of(new FreeTtsEngine())), null);
        shared.start().await();
        String uri = shared.resolveTts("Goodbye.", "freetts", "kevin16").await();
        assertThat(uri).startsWith("sound:" + sounds.resolve("tts") + "/").doesNotEndWith(".wav");
        assertThat(Path.of(uri.substring(6) + ".wav")).isRegularFile();
        shared.stop().await();
    }

    @Test
    void renderingRunsOnTheMediaWorkerEvenWhenAskedFromAnEventLoop() throws Exception {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        byte[] wav = sineWav(8000, 1, 0.3);
        io.outdial.ivr.tts.TtsEngine recording = new io.outdial.ivr.tts.TtsEngine() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public java.util.Set<String> voices() {
                return java.util.Set.of("v");
            }

            @Override
            public byte[] render(String text, String voice) {
                threads.add(Thread.currentThread().getName());
                return wav;
            }
        };
        PromptMedia probe = new PromptMedia(app.vertx(), new MediaConfig("", dataDir.resolve("probe").toString(), "",
            Duration.ofHours(1)), () -> "http://127.0.0.1:" + app.httpPort(), () -> new TtsRegistry(List.of(recording)),
            null);
        probe.start().await();
        java.util.concurrent.CompletableFuture<String> uri = new java.util.concurrent.CompletableFuture<>();
        app.vertx().runOnContext(v -> probe.resolveTts("probe text", "probe", "v")
            .onComplete(ar -> uri.complete(ar.succeeded() ? ar.result() : ar.cause().toString())));
        assertThat(uri.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("sound:http://");
        assertThat(threads).singleElement().satisfies(t -> assertThat(t).startsWith("outdial-media"));
        probe.stop().await();
    }
}

package io.outdial.dialer.prompt;

import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.server.ProblemHandler;
import io.outdial.ivr.tts.TtsRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prompt uploads are streamed to a temporary file under a configurable limit ({@code media.maxPromptBytes}): larger
 * is a 413 problem (declared or not), parallel uploads are each converted from their file, and no temporary file
 * stays behind.
 */
class HostilePromptUploadTest {
    static final long LIMIT = 256 * 1024;
    @TempDir
    Path dir;
    Vertx vertx;
    PromptMedia media;
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        media = new PromptMedia(vertx, new MediaConfig("http://127.0.0.1:1/media-base", dir.resolve("media").toString(),
            "", Duration.ofHours(1), LIMIT), () -> "http://127.0.0.1:1", () -> new TtsRegistry(List.of()), null);
        media.start().await();
        Router router = Router.router(vertx);
        media.routes(router);
        router.route().failureHandler(new ProblemHandler());
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
        port = server.actualPort();
    }

    @AfterEach
    void stop() {
        media.stop().await();
        vertx.close().await();
    }

    private HttpResponse<String> post(String id, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/prompts/" + id))
            .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("media/prompt-uploads"))) {
            return files.toList();
        }
    }

    @Test
    void anUploadLargerThanTheLimitIs413WhetherItsLengthIsDeclaredOrNotAndLeavesNoFile() throws Exception {
        byte[] big = wav(8000, 2.0); // 32 KB a second: 64 KB... times 5 below
        byte[] huge = wav(44_100, 4.0); // about 350 KB

        HttpResponse<String> declared = post("big", HttpRequest.BodyPublishers.ofByteArray(huge));
        HttpResponse<String> chunked = post("big", HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(huge)));

        for (HttpResponse<String> r : List.of(declared, chunked)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
            JsonObject p = new JsonObject(r.body());
            assertThat(p.getString("error")).isEqualTo("payload_too_large");
            assertThat(p.getString("message")).contains(Long.toString(LIMIT)).contains("media.maxPromptBytes");
        }
        assertThat(media.promptStore().file("big")).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(leftovers()).isEmpty());

        HttpResponse<String> ok = post("fits", HttpRequest.BodyPublishers.ofByteArray(big));
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
        assertThat(media.promptStore().file("fits")).isPresent();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void parallelUploadsAreEachStoredAndNoTemporaryFileStays() throws Exception {
        byte[] body = wav(16_000, 3.0); // about 96 KB each
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/prompts/p"
                + k)).POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        for (int k = 0; k < 6; k++) {
            HttpResponse<String> r = all.get(k).get();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(media.promptStore().file("p" + k)).isPresent();
        }
        assertThat(leftovers()).isEmpty();
    }

    /** A mono 16-bit PCM WAV of a 440 Hz tone. */
    static byte[] wav(int rate, double seconds) {
        int frames = (int) (rate * seconds);
        ByteBuffer b = ByteBuffer.allocate(44 + frames * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * 2).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
            .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2)
            .putShort((short) 16).put("data".getBytes()).putInt(frames * 2);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (Math.sin(2 * Math.PI * 440 * i / rate) * 8000));
        }
        return b.array();
    }
}

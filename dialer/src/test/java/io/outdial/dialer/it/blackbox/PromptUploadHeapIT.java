package io.outdial.dialer.it.blackbox;

import io.outdial.dialer.support.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -Xmx80m -jar dialer.jar serve} sent four 45 MB prompt uploads (44.1 kHz stereo, over four minutes each)
 * at once, plus a bigger one without a declared length: the four are stored (each converted from its temporary file
 * a block at a time: decoded whole, one would need more than the heap), the big one is refused with 413 while it
 * streams, no temporary file stays, and the node still answers.
 */
class PromptUploadHeapIT {
    private static final long LIMIT = 48L * 1024 * 1024;
    private static final int RATE = 44_100;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;

    /** A 16-bit stereo WAV of {@code seconds} of a 440 Hz tone, written a second at a time. */
    private static Path wav(Path file, int seconds) throws IOException {
        int frameBytes = 4;
        long data = (long) seconds * RATE * frameBytes;
        ByteBuffer second = ByteBuffer.allocate(RATE * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < RATE; i++) {
            short v = (short) Math.round(Math.sin(2 * Math.PI * 440 * i / RATE) * 0.5 * 32767);
            second.putShort(v).putShort(v);
        }
        ByteBuffer head = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + data))
            .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 2)
            .putInt(RATE).putInt(RATE * frameBytes).putShort((short) frameBytes).putShort((short) 16)
            .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) data);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(head.array());
            for (int s = 0; s < seconds; s++) {
                out.write(second.array());
            }
        }
        return file;
    }

    private static HttpRequest.Builder post(int port, String id, String token) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/prompts/" + id))
            .header("Authorization", "Bearer " + token).header("Content-Type", "audio/wav")
            .timeout(Duration.ofSeconds(240));
    }

    @Test
    @Timeout(400)
    void fourLargeUploadsAtOnceOnASmallHeapAreStoredAndTheNodeKeepsAnswering() throws Exception {
        int port = TestConfigs.freePort();
        Path data = dir.resolve("data");
        Map<String, String> env = Map.of(
            "DIALER_HTTP_HOST", "127.0.0.1",
            "DIALER_HTTP_PORT", Integer.toString(port),
            "DIALER_CLUSTER_PORT", Integer.toString(TestConfigs.freePort()),
            "DIALER_CLUSTER_NAME", "outdial-heap-" + port,
            "DIALER_DATABASE_DATA_DIR", data.toString(),
            "DIALER_MEDIA_MAX_PROMPT_BYTES", Long.toString(LIMIT));
        int seconds = 255; // 45 MB
        Path upload = wav(dir.resolve("long.wav"), seconds);
        Path tooBig = wav(dir.resolve("too-big.wav"), 300); // 53 MB: past the limit
        assertThat(Files.size(upload)).isBetween(40L * 1024 * 1024, LIMIT);
        try (Processes procs = new Processes(dir)) {
            String token = procs.adminToken(env);
            // the last -Xmx of the command line wins; a heap exhausted ends the node, as a container would restart it
            Process node = procs.start("serve.log", env, "-Xmx80m", "-XX:+ExitOnOutOfMemoryError", "-jar",
                Processes.JAR.toString(), "serve");
            Processes.awaitReady(node, port, Duration.ofSeconds(120));

            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(HTTP.sendAsync(post(port, "long" + i, token)
                    .POST(HttpRequest.BodyPublishers.ofFile(upload)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // no Content-Length: only the streaming limit can refuse it
            CompletableFuture<HttpResponse<String>> big = HTTP.sendAsync(post(port, "big", token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> open(tooBig))).build(),
                HttpResponse.BodyHandlers.ofString());

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = answers.get(i).get();
                assertThat(r.statusCode()).as("upload %d: %s; %s", i, r.body(), procs.log("serve.log")).isEqualTo(201);
                assertThat(new JsonObject(r.body()).getDouble("seconds")).isCloseTo(seconds,
                    org.assertj.core.data.Offset.offset(0.01));
                assertThat(new JsonObject(r.body()).getInteger("sourceSampleRate")).isEqualTo(RATE);
            }
            try {
                assertThat(big.get().statusCode()).as(big.get().body()).isEqualTo(413);
            } catch (java.util.concurrent.ExecutionException e) {
                // the node may close the connection while the client still sends: refused either way
                assertThat(e.getCause()).isInstanceOf(IOException.class);
            }

            assertThat(node.isAlive()).as(procs.log("serve.log")).isTrue();
            assertThat(Processes.get(port, "/health").statusCode()).isEqualTo(200);
            HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/media/prompts/long3.wav")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow())
                .isEqualTo(44 + 2L * seconds * 8000);
            try (var left = Files.list(data.resolve("media").resolve("prompt-uploads"))) {
                assertThat(left).as("temporary upload files").isEmpty();
            }
            assertThat(procs.log("serve.log")).doesNotContain("OutOfMemoryError");
            assertThat(data.resolve("media").resolve("prompts").resolve("big.wav")).doesNotExist();
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

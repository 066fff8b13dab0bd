package io.outdial.dialer.cli;

import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.support.TestWavs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve} carries the IVR parts: the flow API, prompt upload and media routes, files under the data dir. */
@Timeout(60)
class ServeIvrIT {
    @TempDir
    Path dir;

    @Test
    void serveOffersTheFlowApiAndPromptMediaWithFilesUnderTheDataDirectory() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DIALER_HTTP_HOST", "127.0.0.1");
        env.put("DIALER_HTTP_PORT", "0");
        env.put("DIALER_DATABASE_DATA_DIR", dir.toString());
        env.put("DIALER_CLUSTER_PORT", String.valueOf(TestConfigs.freePort()));
        env.put("DIALER_CLUSTER_NAME", "outdial-ivr-" + TestConfigs.freePort());
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        String survey = Files.readString(Path.of("../ivr/examples/survey-3-questions.json"));
        HttpClient http = HttpClient.newHttpClient();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8), env, app -> {
                try {
                    String base = "http://127.0.0.1:" + app.httpPort();
                    String auth = "Bearer " + io.outdial.dialer.support.TestAuth.adminToken(app);
                    statuses.add(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/flows/satisfaction-survey"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(survey)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode());
                    statuses.add(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/prompts/beep"))
                        .header("Authorization", auth).header("Content-Type", "audio/wav")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(TestWavs.sineWav(16000, 1, 0.2))).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                    statuses.add(http.send(HttpRequest.newBuilder(URI.create(base + "/media/prompts/beep.wav")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).statusCode());
                } catch (Exception e) {
                    statuses.add(-1);
                } finally {
                    app.stop();
                }
            }, false);
        assertThat(new Main(ctx).run("serve")).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(statuses).containsExactly(201, 201, 200);
        assertThat(dir.resolve("media/prompts/beep.wav")).isRegularFile();
    }
}

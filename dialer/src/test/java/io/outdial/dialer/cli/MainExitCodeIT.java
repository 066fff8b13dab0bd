package io.outdial.dialer.cli;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.support.Http;
import io.outdial.dialer.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve} in-process: a taken port or an unreachable database stop start-up with a clear message. */
class MainExitCodeIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int serve(Map<String, String> env, java.util.function.Consumer<DialerApp> onStarted) {
        CommandContext ctx = new CommandContext(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), env, onStarted, false);
        return new Main(ctx).run("serve");
    }

    private static Map<String, String> localEnv(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("DIALER_HTTP_HOST", "127.0.0.1");
        env.put("DIALER_HTTP_PORT", "0");
        env.put("DIALER_DATABASE_DATA_DIR", dir.toString());
        env.put("DIALER_CLUSTER_PORT", String.valueOf(TestConfigs.freePort()));
        env.put("DIALER_CLUSTER_NAME", "outdial-it-" + TestConfigs.freePort());
        return env;
    }

    @Test
    void portInUseExitsWith1NamingThePort(@TempDir Path dir) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Map<String, String> env = localEnv(dir);
            env.put("DIALER_HTTP_PORT", String.valueOf(taken.getLocalPort()));

            assertThat(serve(env, app -> { })).isEqualTo(Command.FAILED);
            assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("cannot start: http.port " + taken.getLocalPort() + " on http.host 127.0.0.1 is already in use")
                .contains("DIALER_HTTP_PORT");
        }
    }

    @Test
    void hostThatIsNotThisMachinesIsNotReportedAsPortInUse(@TempDir Path dir) {
        Map<String, String> env = localEnv(dir);
        env.put("DIALER_HTTP_HOST", "192.0.2.1"); // TEST-NET-1: never an address of this machine

        assertThat(serve(env, app -> { })).isEqualTo(Command.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("on http.host 192.0.2.1 cannot be bound:")
            .doesNotContain("already in use");
    }

    @Test
    void unreachableDatabaseExitsWith1NamingTheUrlAndCause(@TempDir Path dir) {
        Map<String, String> env = localEnv(dir);
        String url = "jdbc:postgresql://127.0.0.1:" + TestConfigs.freePort() + "/outdial";
        env.put("DIALER_DATABASE_URL", url);
        env.put("DIALER_DATABASE_CONNECT_TIMEOUT", "2s");

        assertThat(serve(env, app -> { })).isEqualTo(Command.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot start: database " + url + ": cannot connect")
            .containsIgnoringCase("refused");
    }

    @Test
    void serveRunsUntilStoppedThenExitsWith0(@TempDir Path dir) {
        AtomicInteger readyStatus = new AtomicInteger();

        int code = serve(localEnv(dir), app -> {
            readyStatus.set(Http.get(app.httpPort(), "/ready").statusCode());
            app.stop();
        });

        assertThat(code).isZero();
        assertThat(readyStatus).hasValue(200);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("serving on http://127.0.0.1:");
    }
}

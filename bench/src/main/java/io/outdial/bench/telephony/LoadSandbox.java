package io.outdial.bench.telephony;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The sandbox PBX of the telephony load run, in its own JVM (started by {@link CallLoad}) so that its heap and
 * garbage stay out of the measured dialer JVM. Callee scripts by number prefix:
 * <ul>
 *   <li>{@code +1555100…}: answers after {@code ringMs}, presses 1 {@code dtmfMs} after the answer, hangs up
 *       after 120 s if nobody did (the load's calls: the dialer plays a prompt and hangs up on the digit);</li>
 *   <li>{@code +1555300…}: like {@code +1555100} but the callee hangs up right after its digit (the baseline,
 *       whose bare client does not hang up);</li>
 *   <li>{@code +1555200…}: answers after {@code ringMs} and presses 1 after 600 s (the held calls of the heap
 *       phase; the dialer hangs them up).</li>
 * </ul>
 * {@code java -cp benchmarks.jar io.outdial.bench.telephony.LoadSandbox ringMs dtmfMs}; prints
 * {@code PORT <n>} once listening on 127.0.0.1 and exits when its standard input closes.
 */
public final class LoadSandbox {
    static final String USER = "bench";
    static final String PASSWORD = "bench-loopback";

    private LoadSandbox() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        long ringMs = Long.parseLong(args[0]);
        long dtmfMs = Long.parseLong(args[1]);
        Vertx vertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withHost("127.0.0.1")
            .withCredentials(USER, PASSWORD)).await();
        pbx.scripts().registerPrefix("+1555100", CalleeScript.answerAfter(Duration.ofMillis(ringMs))
            .withDigits(Duration.ofMillis(dtmfMs), "1").withHangupAfter(Duration.ofSeconds(120)));
        pbx.scripts().registerPrefix("+1555200", CalleeScript.answerAfter(Duration.ofMillis(ringMs))
            .withDigits(Duration.ofSeconds(600), "1").withHangupAfter(Duration.ofSeconds(900)));
        pbx.scripts().registerPrefix("+1555300", CalleeScript.answerAfter(Duration.ofMillis(ringMs))
            .withDigits(Duration.ofMillis(dtmfMs), "1").withHangupAfter(Duration.ofMillis(dtmfMs + 1)));
        System.out.println("PORT " + pbx.port());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // the parent closes our stdin when it is done (or dies)
            }
        }
        pbx.close().await();
        vertx.close().await();
        System.exit(0);
    }
}

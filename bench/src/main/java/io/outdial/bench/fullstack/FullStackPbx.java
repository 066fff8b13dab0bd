package io.outdial.bench.fullstack;

import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.PbxLog;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox PBX of the full-stack load run, in a process of its own (started by {@link PbxProcess}). Every
 * number under {@code +336} (the dialer's contacts) and {@code +337} (the raw loop's) answers at once, presses 1
 * {@code dtmfMs} after the answer and hangs up after {@code hangupS} seconds (default 30) if nobody did; every number
 * under {@code +1555} is busy after 50 ms. It answers one line per command on its
 * standard input, from its own records ({@link PbxLog}: when each originate request arrived, each
 * {@code sound:http} item fetched and played):
 * <ul>
 *   <li>{@code MARK}: {@code MARK <originates so far> <media items so far>};</li>
 *   <li>{@code LIVE}: {@code LIVE <calls alive now>};</li>
 *   <li>{@code STATS <from originate> <from media> <limit>}: {@code STATS <originates> <first ns> <last ns>
 *       <most in any sliding 1 s> <originates that end a 1 s window over limit> <media fetched> <played whole>
 *       <bad (not 200 or no audio)>} over the originates and media since the given marks;</li>
 *   <li>{@code URL}: {@code URL <the last sound:http URL fetched>}.</li>
 * </ul>
 * {@code java -cp benchmarks.jar io.outdial.bench.fullstack.FullStackPbx dtmfMs [hangupS]}; prints {@code PORT <n>} once
 * listening on 127.0.0.1 and exits when its standard input closes.
 */
public final class FullStackPbx {
    public static final String USER = "bench";
    public static final String PASSWORD = "bench-loopback";

    private FullStackPbx() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.WARN);
        long dtmfMs = Long.parseLong(args[0]);
        long hangupS = args.length > 1 ? Long.parseLong(args[1]) : 30;
        Vertx vertx = Vertx.vertx();
        SandboxPbx pbx = SandboxPbx.start(vertx, SandboxPbxOptions.defaults().withHost("127.0.0.1")
            .withCredentials(USER, PASSWORD)).await();
        CalleeScript callee = CalleeScript.answerAfter(Duration.ZERO).withDigits(Duration.ofMillis(dtmfMs), "1")
            .withHangupAfter(Duration.ofSeconds(hangupS));
        pbx.scripts().registerPrefix("+336", callee);
        pbx.scripts().registerPrefix("+337", callee);
        pbx.scripts().registerPrefix("+1555", CalleeScript.busy(Duration.ofMillis(50)));
        System.out.println("PORT " + pbx.port());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println(answer(pbx, line.trim().split(" ")));
                System.out.flush();
            }
        }
        pbx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }

    private static String answer(SandboxPbx pbx, String[] cmd) {
        PbxLog log = pbx.log();
        switch (cmd[0]) {
            case "MARK":
                return "MARK " + log.originateTimes().size() + " " + log.media().size();
            case "LIVE":
                return "LIVE " + pbx.liveCallCount();
            case "URL":
                List<PbxLog.Media> media = log.media();
                return "URL " + (media.isEmpty() ? "-" : media.get(media.size() - 1).url());
            case "STATS":
                return stats(log, Integer.parseInt(cmd[1]), Integer.parseInt(cmd[2]), Integer.parseInt(cmd[3]));
            default:
                return "ERROR unknown command " + cmd[0];
        }
    }

    private static String stats(PbxLog log, int fromOriginate, int fromMedia, int limit) {
        List<Long> all = log.originateTimes();
        List<Long> times = all.subList(Math.min(fromOriginate, all.size()), all.size());
        int[] windows = PbxStats.windows(times, TimeUnit.SECONDS.toNanos(1), limit);
        int most = windows[0];
        int over = windows[1];
        List<PbxLog.Media> allMedia = log.media();
        List<PbxLog.Media> media = allMedia.subList(Math.min(fromMedia, allMedia.size()), allMedia.size());
        long played = media.stream().filter(PbxLog.Media::played).count();
        long bad = media.stream().filter(m -> m.status() != 200 || m.lengthMillis() <= 0).count();
        return String.format(Locale.ROOT, "STATS %d %d %d %d %d %d %d %d", times.size(),
            times.isEmpty() ? 0 : times.get(0), times.isEmpty() ? 0 : times.get(times.size() - 1), most, over,
            media.size(), played, bad);
    }
}

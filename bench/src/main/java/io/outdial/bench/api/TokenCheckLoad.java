package io.outdial.bench.api;

import io.outdial.bench.api.GuardedClient.Route;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The server's CPU per request of a token-checked GET against the same GET without the guard (see
 * {@link GuardedServer}), in one run. This JVM holds the server; the requests come from a client JVM of its own (this
 * class with {@code client}), so the client's work (encoding the {@code Authorization} header among it) is not
 * counted as the server's. Rounds of {@code requests} sequential requests of each {@link Route}, sent in chunks of
 * {@code chunk} requests, the routes taking turns chunk by chunk (the first rotating, the order reversed every other
 * round), so that a change in what else the machine runs weighs on every route alike; each chunk is timed by
 * <ul>
 *   <li>the summed CPU time of the server's threads: this JVM's Vert.x threads and the guard's worker threads
 *   ({@code vert.x-*}, {@code outdial-*}; nanosecond resolution; neither GC nor JIT threads);</li>
 *   <li>the server process's CPU time (every live thread, GC and JIT included, less the main thread that measures
 *   and talks to the client; nanosecond resolution, from Linux's per-thread scheduler statistics);</li>
 *   <li>the client process's CPU time, as it reports it: the server's and the client's together are what one JVM
 *   holding both would count.</li>
 * </ul>
 * Two GETs are compared: a small JSON handler (the guard's share at its largest) and the API's own
 * {@code GET /api/v1/campaigns}, which reads the database as the API's routes do. Prints each round's figures, then
 * for each route the ratio of the means and the median of the round ratios against the same GET without the guard.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.api.TokenCheckLoad [requests=20000] [rounds=12]
 * [warmup=30000] [chunk=1000]}
 */
public final class TokenCheckLoad {
    private static final Route[] ORDER = Route.values();
    private static final int SERVER = 0;
    private static final int PROCESS = 1;
    private static final int BOTH = 2;
    private static final String[] MEASURES = {"server threads", "server process", "server + client processes"};

    private TokenCheckLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("client")) {
            client(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 30000;
        int chunk = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (GuardedServer s = new GuardedServer("tokenload")) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                TokenCheckLoad.class.getName(), "client", Integer.toString(s.port()),
                Integer.toString(s.apiPort()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (PrintWriter to = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
                 BufferedReader from = new BufferedReader(new InputStreamReader(child.getInputStream(),
                     StandardCharsets.UTF_8))) {
                to.println(s.token);
                answer(from, "ready");
                to.println("warm " + warmup); // both JVMs' JIT, every route
                answer(from, "done");
                // [measure][route][round]: CPU per request in microseconds
                double[][][] cost = new double[MEASURES.length][ORDER.length][rounds];
                for (int r = 0; r < rounds; r++) {
                    // the round's requests of each kind in chunks, the kinds taking turns (who goes first rotating,
                    // the direction reversed every other round): a change of the machine's load lands on all alike
                    for (int c = 0; c * chunk < requests; c++) {
                        int n = Math.min(chunk, requests - c * chunk);
                        for (int k = 0; k < ORDER.length; k++) {
                            int turn = r % 2 == 0 ? c + k : c - k;
                            Route route = ORDER[Math.floorMod(turn, ORDER.length)];
                            long t0 = serverThreadsCpu(threads);
                            long p0 = processCpu();
                            long m0 = threads.getCurrentThreadCpuTime();
                            to.println(route.name() + " " + n);
                            String[] done = answer(from, "done").split(" ");
                            long m1 = threads.getCurrentThreadCpuTime();
                            long p1 = processCpu();
                            long t1 = serverThreadsCpu(threads);
                            // the process less this thread, which measures and talks to the client
                            long process = p1 - p0 - (m1 - m0);
                            long clientProcess = Long.parseLong(done[1]);
                            cost[SERVER][route.ordinal()][r] += (t1 - t0) / 1000.0 / requests;
                            cost[PROCESS][route.ordinal()][r] += process / 1000.0 / requests;
                            cost[BOTH][route.ordinal()][r] += (process + clientProcess) / 1000.0 / requests;
                        }
                    }
                    System.out.printf(Locale.ROOT, "round %2d: server threads' CPU/request: open %.2f us, no-op handler"
                        + " %.2f, header %.2f, token-checked %.2f; ratio %.3f (server process %.3f, both %.3f); API"
                        + " GET open %.2f, token-checked %.2f; ratio %.3f%n",
                        r + 1, cost[SERVER][0][r], cost[SERVER][1][r], cost[SERVER][2][r], cost[SERVER][3][r],
                        cost[SERVER][3][r] / cost[SERVER][0][r], cost[PROCESS][3][r] / cost[PROCESS][0][r],
                        cost[BOTH][3][r] / cost[BOTH][0][r], cost[SERVER][4][r], cost[SERVER][5][r],
                        cost[SERVER][5][r] / cost[SERVER][4][r]);
                }
                to.println("quit");
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
                summary(System.out, cost, rounds, requests);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    /**
     * Per measure: each route's mean CPU per request, and its ratio of means and median round ratio to the same
     * route without the guard ({@link Route#base}).
     */
    private static void summary(PrintStream out, double[][][] cost, int rounds, int requests) {
        out.printf(Locale.ROOT, "%d rounds of %d requests of each kind; CPU per request, ratio to the route without"
            + " the guard (of the means; median of the rounds, min, max)%n", rounds, requests);
        for (int m = 0; m < MEASURES.length; m++) {
            StringBuilder line = new StringBuilder(MEASURES[m]).append(':');
            for (Route route : ORDER) {
                double[] c = cost[m][route.ordinal()];
                line.append(String.format(Locale.ROOT, " %s %.2f us", route.label(), mean(c)));
                if (route.base() != null) {
                    double[] base = cost[m][route.base().ordinal()];
                    List<Double> ratios = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        ratios.add(c[r] / base[r]);
                    }
                    Collections.sort(ratios);
                    line.append(String.format(Locale.ROOT, " (%.3f; %.3f, %.3f, %.3f)", mean(c) / mean(base),
                        ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1)));
                }
                line.append(route.ordinal() == ORDER.length - 1 ? "" : ',');
            }
            out.println(line);
        }
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /**
     * This process's CPU time in nanoseconds: the sum over its live threads (GC and JIT included) of the time on a
     * CPU that Linux keeps per thread ({@code /proc/self/task/<tid>/schedstat}, first field; the same clock as
     * {@link ThreadMXBean#getThreadCpuTime}, where the process's CPU time in the JDK is counted in 10 ms ticks).
     */
    private static long processCpu() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (NoSuchFileException e) {
                    // the thread ended in between: its time is lost (the JIT's may; the server's threads do not)
                }
            }
        }
        return sum;
    }

    /** The next line from the client, which must start with {@code word}. */
    private static String answer(BufferedReader from, String word) throws Exception {
        String line = from.readLine();
        if (line == null || !line.startsWith(word)) {
            throw new IllegalStateException("the client JVM answered " + line + " instead of " + word);
        }
        return line;
    }

    /**
     * The CPU time of the server's threads, summed: this JVM's Vert.x threads (event loops, acceptor, workers) and
     * the guard's named worker pool; a thread born since the previous call adds all it used.
     */
    private static long serverThreadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("vert.x-")
                || info.getThreadName().startsWith("outdial-"))) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    /**
     * The client JVM: reads the token, then commands from its standard input: {@code warm n} (n requests of each
     * route), {@code <ROUTE> n} (n requests of one, answered {@code done <this process's CPU ns>}), {@code quit}.
     */
    private static void client(int port, int apiPort) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (GuardedClient c = new GuardedClient(port, apiPort, in.readLine())) {
            System.out.println("ready");
            System.out.flush();
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                String[] cmd = line.split(" ");
                int n = Integer.parseInt(cmd[1]);
                Route[] routes = cmd[0].equals("warm") ? ORDER : new Route[] {Route.valueOf(cmd[0])};
                long p0 = processCpu();
                for (int i = 0; i < n; i++) {
                    for (Route r : routes) {
                        c.get(r);
                    }
                }
                System.out.println("done " + (processCpu() - p0));
                System.out.flush();
            }
        }
        System.exit(0);
    }
}

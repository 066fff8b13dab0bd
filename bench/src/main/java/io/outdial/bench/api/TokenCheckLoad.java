package io.outdial.bench.api;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * CPU per request of a token-checked GET against the same GET without the guard (see {@link GuardedServer}), in one
 * run: rounds of {@code requests} sequential requests of each kind, the order alternating, each batch timed twice
 * (client and server share the JVM; CPU time, unlike wall time, does not grow with what else the machine runs): by
 * the process's CPU time (every thread, GC included; 10 ms resolution on Linux) and by the summed CPU time of the
 * JVM's Java threads (nanosecond resolution; without the GC's own threads, so a collection does not land on
 * whichever batch it happens in). Prints each round's ratios, the ratio of the means and the median round.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.api.TokenCheckLoad [requests=20000] [rounds=12]}
 */
public final class TokenCheckLoad {
    private TokenCheckLoad() {
    }

    /** CPU per request of one batch, in microseconds: the process's and the Java threads'. */
    private record Cost(double process, double threads) { }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (GuardedServer s = new GuardedServer("tokenload")) {
            for (int i = 0; i < 30000; i++) { // warm-up of both paths (JIT)
                s.get(s.open);
                s.get(s.passThrough);
                s.get(s.guarded);
                s.get(s.openWithToken);
            }
            List<Double> ratios = new ArrayList<>();
            List<Double> threadRatios = new ArrayList<>();
            double[] open = new double[2];
            double[] guarded = new double[2];
            double[] pass = new double[2];
            double[] header = new double[2];
            for (int r = 0; r < rounds; r++) {
                Cost o;
                Cost g;
                Cost p;
                Cost h;
                if (r % 2 == 0) {
                    o = batch(s, s.open, requests, os, threads);
                    p = batch(s, s.passThrough, requests, os, threads);
                    h = batch(s, s.openWithToken, requests, os, threads);
                    g = batch(s, s.guarded, requests, os, threads);
                } else {
                    g = batch(s, s.guarded, requests, os, threads);
                    h = batch(s, s.openWithToken, requests, os, threads);
                    p = batch(s, s.passThrough, requests, os, threads);
                    o = batch(s, s.open, requests, os, threads);
                }
                header[0] += h.process();
                header[1] += h.threads();
                open[0] += o.process();
                open[1] += o.threads();
                guarded[0] += g.process();
                guarded[1] += g.threads();
                pass[0] += p.process();
                pass[1] += p.threads();
                ratios.add(g.process() / o.process());
                threadRatios.add(g.threads() / o.threads());
                System.out.printf(Locale.ROOT, "round %2d: open %.1f us CPU/request (threads %.2f), one no-op handler"
                    + " %.1f (%.2f), token-checked %.1f (%.2f); ratio %.3f (threads %.3f)%n", r + 1, o.process(),
                    o.threads(), p.process(), p.threads(), g.process(), g.threads(), g.process() / o.process(),
                    g.threads() / o.threads());
            }
            System.out.printf(Locale.ROOT, "one no-op handler in front: ratio of means %.3f (threads %.3f)%n",
                pass[0] / open[0], pass[1] / open[1]);
            System.out.printf(Locale.ROOT, "the token header sent, no guard: ratio of means %.3f (threads %.3f)%n",
                header[0] / open[0], header[1] / open[1]);
            Collections.sort(ratios);
            Collections.sort(threadRatios);
            System.out.printf(Locale.ROOT, "process CPU: open %.1f us, token-checked %.1f us; ratio of means %.3f,"
                + " median ratio %.3f (min %.3f, max %.3f) over %d rounds of %d requests%n", open[0] / rounds,
                guarded[0] / rounds, guarded[0] / open[0], ratios.get(ratios.size() / 2), ratios.get(0),
                ratios.get(ratios.size() - 1), rounds, requests);
            System.out.printf(Locale.ROOT, "Java threads' CPU: open %.2f us, token-checked %.2f us; ratio of means"
                + " %.3f, median ratio %.3f (min %.3f, max %.3f)%n", open[1] / rounds, guarded[1] / rounds,
                guarded[1] / open[1], threadRatios.get(threadRatios.size() / 2), threadRatios.get(0),
                threadRatios.get(threadRatios.size() - 1));
        }
    }

    /** CPU per request over {@code n} requests. */
    private static Cost batch(GuardedServer s, io.vertx.core.http.RequestOptions what, int n,
                              com.sun.management.OperatingSystemMXBean os, ThreadMXBean threads) throws Exception {
        long p0 = os.getProcessCpuTime();
        long t0 = threadsCpu(threads);
        for (int i = 0; i < n; i++) {
            s.get(what);
        }
        long t1 = threadsCpu(threads);
        long p1 = os.getProcessCpuTime();
        return new Cost((p1 - p0) / 1000.0 / n, (t1 - t0) / 1000.0 / n);
    }

    /** The CPU time of every live Java thread, summed (a thread that ended in between is lost: none do here). */
    private static long threadsCpu(ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}

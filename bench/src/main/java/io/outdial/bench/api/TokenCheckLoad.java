package io.outdial.bench.api;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * CPU per request of a token-checked GET against the same GET without the guard (see {@link GuardedServer}), in one
 * run: rounds of {@code requests} sequential requests of each kind, the order alternating, each batch timed by the
 * process's CPU time (client and server share the JVM; CPU time, unlike wall time, does not grow with what else the
 * machine runs). Prints each round's ratio and the median.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.outdial.bench.api.TokenCheckLoad [requests=20000] [rounds=12]}
 */
public final class TokenCheckLoad {
    private TokenCheckLoad() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (GuardedServer s = new GuardedServer("tokenload")) {
            for (int i = 0; i < 30000; i++) { // warm-up of both paths (JIT)
                s.get(s.open);
                s.get(s.passThrough);
                s.get(s.guarded);
            }
            List<Double> ratios = new ArrayList<>();
            double openSum = 0;
            double guardedSum = 0;
            double passSum = 0;
            for (int r = 0; r < rounds; r++) {
                double open;
                double guarded;
                double pass;
                if (r % 2 == 0) {
                    open = batch(s, s.open, requests, os);
                    pass = batch(s, s.passThrough, requests, os);
                    guarded = batch(s, s.guarded, requests, os);
                } else {
                    guarded = batch(s, s.guarded, requests, os);
                    pass = batch(s, s.passThrough, requests, os);
                    open = batch(s, s.open, requests, os);
                }
                openSum += open;
                guardedSum += guarded;
                passSum += pass;
                ratios.add(guarded / open);
                System.out.printf(Locale.ROOT, "round %2d: open %.1f us CPU/request, one no-op handler %.1f us,"
                    + " token-checked %.1f us, ratio %.3f%n", r + 1, open, pass, guarded, guarded / open);
            }
            System.out.printf(Locale.ROOT, "one no-op handler in front: ratio of means %.3f%n", passSum / openSum);
            Collections.sort(ratios);
            System.out.printf(Locale.ROOT, "mean: open %.1f us, token-checked %.1f us; ratio of means %.3f, median"
                + " ratio %.3f (min %.3f, max %.3f) over %d rounds of %d requests%n", openSum / rounds,
                guardedSum / rounds, guardedSum / openSum, ratios.get(ratios.size() / 2), ratios.get(0),
                ratios.get(ratios.size() - 1), rounds, requests);
        }
    }

    /** Microseconds of process CPU per request over {@code n} requests. */
    private static double batch(GuardedServer s, io.vertx.core.http.RequestOptions what, int n,
                                com.sun.management.OperatingSystemMXBean os) throws Exception {
        long t0 = os.getProcessCpuTime();
        for (int i = 0; i < n; i++) {
            s.get(what);
        }
        return (os.getProcessCpuTime() - t0) / 1000.0 / n;
    }
}

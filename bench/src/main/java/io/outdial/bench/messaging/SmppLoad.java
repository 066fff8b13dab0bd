package io.outdial.bench.messaging;

import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.sms.SmppChannel;
import io.outdial.fallback.channel.sms.SmscConfig;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.sandbox.smsc.RecipientScript;
import io.outdial.sandbox.smsc.SandboxSmsc;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SMPP submit load run, not JMH: the SMS channel ({@link SmppChannel}: splitting and encoding, the worker hand-off,
 * the window and rate limiter, jsmpp) against the sandbox SMSC on loopback, and in the same run the baseline
 * {@link BareSubmitLoop} (a bare jsmpp session, the same window of outstanding {@code submit_sm}) against the same
 * SMSC. Each round sends {@code messages} through each side in turns of {@code chunk} messages and reports messages
 * per second of each (messages over the summed time of that side's turns) and their ratio.
 *
 * <p>Both bind to one {@link SandboxSmsc} in this JVM; it answers every {@code submit_sm} and sends no receipts
 * ({@code neverAnswer}), because it writes every receipt to the first bound session, which would load one side
 * only. The channel runs with {@code throughput 0} (no per-bind limit; its default of 50/s would be the figure).
 *
 * <p>Run with {@code java -cp bench/target/benchmarks.jar io.outdial.bench.messaging.SmppLoad}; system properties
 * {@code messages} 10000 per round, {@code chunk} 1000, {@code rounds} 3, {@code warmup} 10000 (each side),
 * {@code binds} 1, {@code window} 10 per bind, {@code roundTimeoutS} 120 (a turn that takes longer fails the run).
 * The run stops by itself.
 */
public final class SmppLoad {
    private static final int MESSAGES = Integer.getInteger("messages", 10_000);
    private static final int ROUNDS = Integer.getInteger("rounds", 3);
    private static final int WARMUP = Integer.getInteger("warmup", 10_000);
    private static final int BINDS = Integer.getInteger("binds", 1);
    private static final int WINDOW = Integer.getInteger("window", 10);
    private static final int CHUNK = Integer.getInteger("chunk", 1_000);
    private static final long ROUND_TIMEOUT_S = Long.getLong("roundTimeoutS", 120);
    private static final String TEXT = "Your appointment is tomorrow at 10:00. Reply YES to confirm.";
    private static final String DEST = "+79001234567";

    private SmppLoad() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
            .setLevel(ch.qos.logback.classic.Level.ERROR);
        System.out.printf(Locale.ROOT, "smpp load: %d messages x %d rounds, warm-up %d, %d binds x window %d, "
                + "%d CPUs, load average %s%n", MESSAGES, ROUNDS, WARMUP, BINDS, WINDOW,
            Runtime.getRuntime().availableProcessors(), loadAverage());
        int code = 1;
        SandboxSmsc smsc = new SandboxSmsc("outdial", "s3cret");
        Vertx vertx = Vertx.vertx();
        try {
            smsc.defaultScript(RecipientScript.neverAnswer());
            int port = smsc.start();
            code = run(vertx, smsc, port);
        } finally {
            smsc.close();
            vertx.close().await();
        }
        System.out.println("load average at the end: " + loadAverage());
        System.exit(code);
    }

    private static int run(Vertx vertx, SandboxSmsc smsc, int port) throws Exception {
        SmscConfig cfg = SmscConfig.of("bench", "127.0.0.1", port, "outdial", "BENCH_SMSC_PASSWORD", "Outdial")
            .withBinds(BINDS, WINDOW, 0);
        SmppChannel channel = new SmppChannel(vertx, cfg, Map.of("BENCH_SMSC_PASSWORD", "s3cret")::get);
        channel.start();
        long bindDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!channel.ready()) {
            if (System.nanoTime() - bindDeadline > 0) {
                throw new IllegalStateException("the SMS channel did not bind within 10 s: " + channel.status());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        try (BareSubmitLoop bare = BareSubmitLoop.bind(port, "outdial", "s3cret", BINDS * WINDOW)) {
            System.out.println("warm-up ...");
            bare.run(WARMUP, DEST, TEXT, ROUND_TIMEOUT_S);
            adapter(channel, "w", WARMUP);
            double[] base = new double[ROUNDS];
            double[] ad = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                // The two sides take turns in chunks, the first turn alternating, so both meet the same state of
                // the machine and of the SMSC (whose cost per submit grows with the submits it has recorded).
                long bareNanos = 0;
                long adapterNanos = 0;
                int sent = 0;
                for (int c = 0; sent < MESSAGES; c++) {
                    int n = Math.min(CHUNK, MESSAGES - sent);
                    boolean bareFirst = (c + r) % 2 == 0;
                    if (bareFirst) {
                        bareNanos += bare.run(n, DEST, TEXT, ROUND_TIMEOUT_S);
                    }
                    adapterNanos += adapter(channel, "r" + r + "c" + c, n);
                    if (!bareFirst) {
                        bareNanos += bare.run(n, DEST, TEXT, ROUND_TIMEOUT_S);
                    }
                    sent += n;
                }
                base[r] = MESSAGES / (bareNanos / 1e9);
                ad[r] = MESSAGES / (adapterNanos / 1e9);
                System.out.printf(Locale.ROOT, "round %d: adapter %.0f msg/s, bare jsmpp %.0f msg/s, ratio %.2f%n",
                    r + 1, ad[r], base[r], ad[r] / base[r]);
            }
            System.out.printf(Locale.ROOT, "SUMMARY msg/s: adapter %s, bare %s, ratio %s; submit_sm accepted by the "
                + "SMSC %d%n", fmt(ad, "%.0f"), fmt(base, "%.0f"), ratios(ad, base), smsc.submitted().size());
        } finally {
            channel.stop().await();
        }
        return 0;
    }

    /**
     * Hands {@code count} messages to the channel at once (they queue in its worker executor, which keeps the
     * window full) and waits for every submit to be answered.
     */
    private static long adapter(SmppChannel channel, String prefix, int count) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            channel.send(new OutboundMessage(prefix + "-" + i, prefix, "sms", ChannelType.SMS, DEST,
                Map.of("text", TEXT), Map.of(), 1)).onComplete(ar -> {
                    if (ar.failed()) {
                        failure.compareAndSet(null, ar.cause());
                    }
                    done.countDown();
                });
        }
        if (!done.await(ROUND_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("adapter round " + prefix + " did not finish within " + ROUND_TIMEOUT_S
                + " s: " + done.getCount() + " unanswered");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("adapter round " + prefix + ": a send failed", failure.get());
        }
        return System.nanoTime() - start;
    }

    private static String fmt(double[] v, String f) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, f, d));
        }
        return b.toString();
    }

    private static String ratios(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return fmt(r, "%.2f");
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}

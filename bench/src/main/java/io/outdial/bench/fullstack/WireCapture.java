package io.outdial.bench.fullstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The originate requests as they went on the wire: a packet capture on the loopback interface ({@code tcpdump}) of
 * the TCP segments to the PBX's port whose payload starts with {@code POST}. The kernel stamps a segment when the
 * sender writes it, before the PBX process reads it, so these times tell the sender's pacing apart from the lag of
 * the PBX's own stamps (its event loop sharing the cores with the dialer and PostgreSQL). Optional: it needs
 * {@code tcpdump} and the right to capture; {@link #start} answers null when either is missing.
 */
final class WireCapture implements AutoCloseable {
    /** {@code POST} as the first four bytes of the TCP payload. */
    private static final String FILTER = "tcp dst port %d and tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x504f5354";
    private static final long READY_MS = 10_000;

    private final Process tcpdump;
    private final Path file;

    private WireCapture(Process tcpdump, Path file) {
        this.tcpdump = tcpdump;
        this.file = file;
    }

    /** Starts capturing the requests to {@code port} into {@code dir}; null (and why, printed) when it cannot. */
    static WireCapture start(int port, Path dir) throws IOException, InterruptedException {
        Path file = dir.resolve("originates.pcap");
        Path err = dir.resolve("tcpdump.log");
        Process p;
        try {
            p = new ProcessBuilder("tcpdump", "-i", "lo", "-n", "-U", "-s", "512", "-w", file.toString(),
                String.format(java.util.Locale.ROOT, FILTER, port))
                .redirectErrorStream(true).redirectOutput(err.toFile()).start();
        } catch (IOException e) {
            System.out.println("wire capture: not started (" + e.getMessage() + ")");
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MS);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.readString(err).contains("listening on")) {
                return new WireCapture(p, file);
            }
            Thread.sleep(50);
        }
        p.destroy();
        System.out.println("wire capture: not started: " + Files.readString(err).strip());
        return null;
    }

    /**
     * The instants (µs since the epoch, ascending) at which the originate requests ({@code POST /ari/channels?...})
     * of campaign {@code campaignId}'s attempts went on the wire, read from the capture so far.
     */
    List<Long> originates(String campaignId) throws IOException, InterruptedException {
        String attempt = "appArgs=attempt%3D" + campaignId + "-";
        Process read = new ProcessBuilder("tcpdump", "-r", file.toString(), "-n", "-tt", "-A")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Long> times = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(read.getInputStream(),
            StandardCharsets.ISO_8859_1))) {
            long stamp = -1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                long header = headerMicros(line);
                if (header >= 0) {
                    stamp = header;
                } else if (stamp >= 0 && line.contains("POST /ari/channels?") && line.contains(attempt)) {
                    times.add(stamp);
                    stamp = -1;
                }
            }
        }
        read.waitFor(60, TimeUnit.SECONDS);
        times.sort(null);
        return times;
    }

    /** A packet's header line ({@code 1765090000.123456 IP ...}): its time in µs; else -1. */
    static long headerMicros(String line) {
        int dot = line.indexOf('.');
        int space = line.indexOf(' ');
        if (dot <= 0 || space != dot + 7 || !line.startsWith(" IP", space)) {
            return -1;
        }
        for (int i = 0; i < space; i++) {
            if (i != dot && !Character.isDigit(line.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(line.substring(0, dot)) * 1_000_000 + Long.parseLong(line.substring(dot + 1, space));
    }

    @Override
    public void close() {
        tcpdump.destroy();
    }
}

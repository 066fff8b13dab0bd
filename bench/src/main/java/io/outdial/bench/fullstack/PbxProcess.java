package io.outdial.bench.fullstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox PBX process ({@link FullStackPbx}) seen from the harness: started with the harness's class path, asked
 * one command at a time over its standard input and output, stopped by closing its input.
 */
public final class PbxProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;

    public PbxProcess(long dtmfMs, Path log) throws IOException {
        this(dtmfMs, 30, log);
    }

    /** Callees press 1 {@code dtmfMs} after the answer and hang up after {@code hangupS} seconds if nobody did. */
    public PbxProcess(long dtmfMs, long hangupS, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
            FullStackPbx.class.getName(), Long.toString(dtmfMs), Long.toString(hangupS))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        int p = -1;
        for (int i = 0; i < 100 && p < 0; i++) {
            String line = out.readLine();
            if (line == null) {
                break;
            }
            if (line.startsWith("PORT ")) {
                p = Integer.parseInt(line.substring(5).trim());
            }
        }
        if (p < 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the sandbox PBX process did not print its port; see " + log);
        }
        port = p;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    private synchronized String[] ask(String command) {
        in.println(command);
        try {
            String line = out.readLine();
            if (line == null || !line.startsWith(command.split(" ")[0])) {
                throw new IllegalStateException("the sandbox PBX answered " + line + " to " + command);
            }
            return line.split(" ");
        } catch (IOException e) {
            throw new IllegalStateException("the sandbox PBX process is gone: " + e, e);
        }
    }

    /** Originates and media items recorded so far: the start of a step. */
    public int[] mark() {
        String[] a = ask("MARK");
        return new int[] {Integer.parseInt(a[1]), Integer.parseInt(a[2])};
    }

    /** Calls alive at the PBX now. */
    public int live() {
        return Integer.parseInt(ask("LIVE")[1]);
    }

    /** The last {@code sound:http} URL fetched (without {@code sound:}), or null. */
    String lastMediaUrl() {
        String url = ask("URL")[1];
        return "-".equals(url) ? null : url;
    }

    /** What the PBX recorded since {@code mark}, with windows counted against {@code limit} (0: none). */
    PbxStats stats(int[] mark, int limit) {
        String[] a = ask("STATS " + mark[0] + " " + mark[1] + " " + limit);
        return new PbxStats(Integer.parseInt(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]), Integer.parseInt(a[4]),
            Integer.parseInt(a[5]), Integer.parseInt(a[6]), Integer.parseInt(a[7]), Integer.parseInt(a[8]));
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

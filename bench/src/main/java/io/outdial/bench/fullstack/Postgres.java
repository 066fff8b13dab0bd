package io.outdial.bench.fullstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for the load run, started as the test command starts one
 * ({@code scripts/install-test-deps.sh} installs the binaries): {@code initdb} into a temporary directory (as OS
 * user {@code postgres} when we run as root), {@code pg_ctl start} on a free port, listening on 127.0.0.1 only,
 * with the tests' settings (fsync and synchronous commit off). {@link #close()} stops it and deletes the directory.
 */
public final class Postgres implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;
    private boolean closed;

    private Postgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** Whether PostgreSQL's binaries are installed. */
    public static boolean available() {
        return findBin().isPresent();
    }

    public static Postgres start() throws IOException {
        Path bin = findBin().orElseThrow(() -> new IllegalStateException("PostgreSQL binaries (initdb, pg_ctl) not"
            + " found on PATH or in /usr/lib/postgresql/*/bin; run: bash scripts/install-test-deps.sh"));
        Path dir = Files.createTempDirectory("outdial-bench-pg-");
        if (isRoot()) {
            UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, pg);
        }
        Path data = dir.resolve("data");
        run(dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync"));
        int port = freePort();
        String opts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", opts,
            "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
        Postgres pg = new Postgres(dir, bin, port);
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "bench-postgres-stop"));
        return pg;
    }

    /** A new empty database; its JDBC URL (user {@code postgres}, no password). */
    public String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port + ": " + e, e);
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The postmaster's process id (first line of {@code postmaster.pid}). */
    long pid() {
        try {
            return Long.parseLong(Files.readAllLines(dir.resolve("data").resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read postmaster.pid: " + e, e);
        }
    }

    /** CPU ms of the postmaster and all its backends so far. */
    double cpuMillis() {
        return ProcCpu.treeMillis(pid());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "-w", "stop"));
        } catch (RuntimeException e) {
            System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    private static Optional<Path> findBin() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "initdb")) && Files.isExecutable(Path.of(p, "pg_ctl"))) {
                return Optional.of(Path.of(p));
            }
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                .max(Comparator.comparingInt(b -> majorVersion(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path versionDir) {
        String digits = versionDir.getFileName().toString().replaceAll("\\D", "");
        return digits.isEmpty() || digits.length() > 6 ? 0 : Integer.parseInt(digits);
    }

    private static void run(Path dir, List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = dir.resolve("command.out");
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out after 120 s: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + " from " + String.join(" ", full) + ": "
                    + Files.readString(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", full), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e, e);
        }
    }
}

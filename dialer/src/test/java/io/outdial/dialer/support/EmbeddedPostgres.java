package io.outdial.dialer.support;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, one per test JVM: found on PATH or under
 * {@code /usr/lib/postgresql/<version>/bin}, initialised into a temporary directory (as OS user
 * {@code postgres} when we run as root, since PostgreSQL refuses root), listening on a free loopback port with
 * its socket in that directory. Stopped and deleted by a shutdown hook, so also when tests fail.
 * Install the binaries with {@code scripts/install-test-deps.sh}.
 */
public final class EmbeddedPostgres {
    private static final Object LOCK = new Object();
    private static EmbeddedPostgres instance;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private EmbeddedPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** The shared server, started on first use. */
    public static EmbeddedPostgres get() {
        synchronized (LOCK) {
            if (instance == null) {
                instance = start();
            }
            return instance;
        }
    }

    /** A fresh, empty database on the shared server; returns its JDBC URL (user {@code postgres}, no password). */
    public String createDatabase() {
        String name = "outdial_t" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on port " + port + ": " + e, e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    private static EmbeddedPostgres start() {
        Path bin = findBin().orElseThrow(() -> new IllegalStateException(
            "PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; "
                + "run: bash scripts/install-test-deps.sh"));
        Path dir;
        try {
            dir = Files.createTempDirectory("outdial-pg-");
            if (isRoot()) {
                UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, pg);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a temporary PostgreSQL directory: " + e, e);
        }
        Path data = dir.resolve("data");
        run(dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            String opts = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
            try {
                run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", opts,
                    "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
                EmbeddedPostgres pg = new EmbeddedPostgres(dir, bin, port);
                Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "embedded-postgres-stop"));
                return pg;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        deleteTree(dir);
        throw last;
    }

    /** Stops the server and deletes its directory. */
    private void stop() {
        try {
            run(dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-m", "immediate", "-w", "stop"));
        } catch (RuntimeException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        deleteTree(dir);
    }

    private static Optional<Path> findBin() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String p : path.split(java.io.File.pathSeparator)) {
            Path initdb = Path.of(p, "initdb");
            if (!p.isEmpty() && Files.isExecutable(initdb) && Files.isExecutable(Path.of(p, "pg_ctl"))) {
                try {
                    return Optional.of(initdb.toRealPath().getParent());
                } catch (IOException e) {
                    return Optional.of(Path.of(p));
                }
            }
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().replaceAll("\\D", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
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
                throw new IllegalStateException("timed out after 120s: " + String.join(" ", full));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + " from " + String.join(" ", full) + ": "
                    + Files.readString(out));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", full), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e, e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}

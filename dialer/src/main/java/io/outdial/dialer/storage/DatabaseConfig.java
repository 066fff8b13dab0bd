package io.outdial.dialer.storage;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the data lives. With no {@code url} the dialer uses an embedded H2 database in file mode under
 * {@code dataDir}; with a JDBC URL (e.g. {@code jdbc:postgresql://db:5432/outdial}) it uses that database.
 *
 * @param url            JDBC URL, or null/empty for embedded H2
 * @param user           database user (null: {@link #H2_USER} for the embedded H2, the driver's default otherwise)
 * @param password       database password (never logged)
 * @param dataDir        directory of the embedded H2 files
 * @param poolSize       maximum JDBC connections (also the size of the database worker pool)
 * @param connectTimeout how long to wait for a connection before failing
 */
public record DatabaseConfig(String url, String user, String password, String dataDir, int poolSize,
                             Duration connectTimeout) {
    /**
     * The user of the embedded H2 database (password {@link #H2_PASSWORD}). H2 stores the user that created the
     * file and refuses another, so every command that opens a data directory ({@code serve}, {@code demo},
     * {@code run}) uses this one.
     */
    public static final String H2_USER = "sa";
    /** The password of {@link #H2_USER}: none (the files are protected by the data directory's permissions). */
    public static final String H2_PASSWORD = "";

    /** H2 settings that keep our portable SQL behaving as on PostgreSQL. */
    public static final String H2_COMPAT = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public DatabaseConfig {
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null && !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url \"" + url + "\" is not a JDBC URL (expected jdbc:...)");
        }
        if (dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("dataDir is empty (expected a directory such as ./data)");
        }
        if (poolSize < 1 || poolSize > 1000) {
            throw new IllegalArgumentException("poolSize " + poolSize + " is out of range (expected 1..1000)");
        }
        if (connectTimeout == null || connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectTimeout " + connectTimeout + " is too short (expected >= 250ms)");
        }
    }

    /** Defaults: embedded H2 under {@code ./data}, 10 connections, 10 s connect timeout. */
    public static DatabaseConfig defaults() {
        return new DatabaseConfig(null, null, null, "./data", 10, Duration.ofSeconds(10));
    }

    /** Whether this is the embedded H2 database (no URL configured). */
    public boolean embedded() {
        return url == null;
    }

    /** The JDBC URL actually used: the configured one, or the H2 file URL under {@code dataDir}. */
    public String jdbcUrl() {
        return url != null ? url : h2FileUrl(Path.of(dataDir).resolve("outdial"));
    }

    /**
     * H2 file-mode durability: write every commit to the file at once (H2's default waits up to 500 ms, so a
     * kill -9 right after a commit lost it: an attempt row written before its originate could vanish).
     */
    public static final String H2_DURABLE = ";WRITE_DELAY=0";

    /**
     * H2 must not close the database from its own JVM shutdown hook: on SIGTERM the node drains first (live calls
     * end, imports finish) and still writes; the database closes when the pool closes, after the drain.
     */
    public static final String H2_NO_CLOSE_ON_EXIT = ";DB_CLOSE_ON_EXIT=FALSE";

    /** An H2 file-mode URL for {@code file} (without extension) with our compatibility and durability flags. */
    public static String h2FileUrl(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath().normalize() + H2_COMPAT + H2_DURABLE + H2_NO_CLOSE_ON_EXIT;
    }

    @Override
    public String toString() {
        // The password never reaches logs or error messages.
        return "DatabaseConfig[url=" + io.outdial.dialer.secret.Secrets.maskUrls(url) + ", user=" + user + ", dataDir=" + dataDir + ", poolSize=" + poolSize
            + ", connectTimeout=" + connectTimeout + "]";
    }
}

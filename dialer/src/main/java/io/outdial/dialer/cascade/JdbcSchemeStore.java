package io.outdial.dialer.cascade;

import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.fallback.engine.Schemes;
import io.outdial.fallback.scheme.Scheme;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeError;
import io.outdial.fallback.scheme.SchemeReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned cascade scheme documents (table {@code scheme_version}, migration V9), like the flow store: saving a
 * changed document creates the next version, saving the same text again returns the latest one; invalid documents
 * are kept as drafts with their problems. As the engine's {@link Schemes}, it gives the stored version a run is
 * pinned to, with the store's version number. Also keeps the scheme version each campaign runs
 * ({@code cascade_pin}). Blocking: call it on a worker.
 */
final class JdbcSchemeStore implements Schemes {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSchemeStore.class);
    private static final String COLUMNS = "scheme_id, version, format, document, valid, errors, saved_at";
    private static final int SAVE_TRIES = 3;

    private final DataSource ds;
    private final Clock clock;
    private final Map<String, Scheme> parsed = new ConcurrentHashMap<>();

    public JdbcSchemeStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /**
     * One stored version.
     *
     * @param schemeId the scheme id (the store's key)
     * @param version  1, 2, ... in save order; the store's number is the one that runs
     * @param format   JSON or YAML
     * @param document the text as saved
     * @param valid    no problem found
     * @param errors   every problem, rendered
     * @param savedAt  when saved
     */
    public record SchemeVersion(String schemeId, int version, SchemeDocuments.Format format, String document,
                                boolean valid, List<String> errors, Instant savedAt) {
        public SchemeVersion {
            errors = List.copyOf(errors);
        }
    }

    /** What a save did. */
    public record Saved(SchemeVersion version, boolean created) { }

    /** True for a valid scheme id: 1-64 letters, digits, '_', '.' or '-'. */
    public static boolean validId(String id) {
        return id != null && id.matches("[A-Za-z0-9_.-]{1,64}");
    }

    /** Validates and saves a document under {@code schemeId}; a new version only when the text changed. */
    public Saved save(String schemeId, String document, SchemeDocuments.Format format) {
        SchemeReport report = SchemeDocuments.parse(document, format);
        List<String> errors = new ArrayList<>();
        report.errors().forEach(e -> errors.add(e.render()));
        boolean valid = report.isValid();
        if (report.scheme() != null && !schemeId.equals(report.scheme().id())) {
            errors.add(SchemeError.at("$.id", "document id \"" + report.scheme().id() + "\" differs from the scheme id \""
                + schemeId + "\" it is saved under").render());
            valid = false;
        }
        String hash = sha256(format.name() + "\n" + document);
        for (int attempt = 1; ; attempt++) {
            try (Connection c = ds.getConnection()) {
                Optional<SchemeVersion> latest = latest(c, schemeId);
                if (latest.isPresent()) {
                    List<String> h = Rows.list(c, "SELECT document_sha256 FROM scheme_version WHERE scheme_id = ? AND"
                        + " version = ?", rs -> rs.getString(1), schemeId, latest.get().version());
                    if (!h.isEmpty() && hash.equals(h.get(0))) {
                        return new Saved(latest.get(), false);
                    }
                }
                SchemeVersion v = new SchemeVersion(schemeId, latest.map(l -> l.version() + 1).orElse(1), format,
                    document, valid, errors, clock.instant());
                Rows.update(c, "INSERT INTO scheme_version (scheme_id, version, format, document, document_sha256,"
                    + " valid, error_count, errors, saved_at) VALUES (?,?,?,?,?,?,?,?,?)", v.schemeId(), v.version(),
                    format.name(), document, hash, valid, errors.size(), String.join("\n", errors), v.savedAt());
                LOG.info("scheme {} v{} saved: {}, {} problem(s)", schemeId, v.version(),
                    valid ? "valid" : "invalid draft", errors.size());
                return new Saved(v, true);
            } catch (SQLException e) {
                // two saves racing for the same next version: one loses on the primary key and tries again
                if (attempt >= SAVE_TRIES) {
                    throw new StorageException("saving scheme " + schemeId + " failed", e);
                }
            }
        }
    }

    /** A stored version. */
    public Optional<SchemeVersion> load(String schemeId, int version) {
        return Rows.first(ds, "reading scheme " + schemeId, "SELECT " + COLUMNS
            + " FROM scheme_version WHERE scheme_id = ? AND version = ?", JdbcSchemeStore::version, schemeId, version);
    }

    /** Every version of a scheme, oldest first. */
    public List<SchemeVersion> versions(String schemeId) {
        return Rows.list(ds, "reading scheme " + schemeId, "SELECT " + COLUMNS
            + " FROM scheme_version WHERE scheme_id = ? ORDER BY version", JdbcSchemeStore::version, schemeId);
    }

    /** The newest version of every scheme, by id. */
    public List<SchemeVersion> list(int limit, long offset) {
        return Rows.list(ds, "listing schemes", "SELECT " + COLUMNS + " FROM scheme_version v WHERE version ="
            + " (SELECT MAX(version) FROM scheme_version w WHERE w.scheme_id = v.scheme_id) ORDER BY scheme_id"
            + " LIMIT ? OFFSET ?", JdbcSchemeStore::version, limit, offset);
    }

    /** Number of schemes. */
    public long count() {
        return Rows.count(ds, "counting schemes", "SELECT COUNT(DISTINCT scheme_id) FROM scheme_version");
    }

    /** The newest version. */
    public Optional<SchemeVersion> latest(String schemeId) {
        try (Connection c = ds.getConnection()) {
            return latest(c, schemeId);
        } catch (SQLException e) {
            throw new StorageException("reading scheme " + schemeId + " failed", e);
        }
    }

    /** The newest valid version. */
    public Optional<SchemeVersion> latestValid(String schemeId) {
        return Rows.first(ds, "reading scheme " + schemeId, "SELECT " + COLUMNS + " FROM scheme_version"
            + " WHERE scheme_id = ? AND valid = TRUE ORDER BY version DESC LIMIT 1", JdbcSchemeStore::version,
            schemeId);
    }

    /** The scheme of a valid stored version, numbered as stored; null when unknown or invalid. */
    @Override
    public Scheme get(String id, int version) {
        String key = id + "@" + version;
        Scheme s = parsed.get(key);
        if (s != null) {
            return s;
        }
        SchemeVersion v = load(id, version).orElse(null);
        if (v == null || !v.valid()) {
            return null;
        }
        Scheme read = SchemeDocuments.parse(v.document(), v.format()).scheme();
        s = new Scheme(read.id(), v.version(), read.name(), read.description(), read.start(), read.blocks());
        parsed.put(key, s);
        return s;
    }

    /** The version a campaign runs, if it was pinned. */
    public Optional<Map.Entry<String, Integer>> pin(String campaignId) {
        return Rows.first(ds, "reading the scheme pin of " + campaignId, "SELECT scheme_id, scheme_version FROM"
            + " cascade_pin WHERE campaign_id = ?", rs -> Map.entry(rs.getString(1), rs.getInt(2)), campaignId);
    }

    /**
     * A campaign's pin.
     *
     * @param schemeId         the scheme it runs
     * @param version          the version it runs
     * @param requestedScheme  the definition's {@code scheme} it was pinned for (null: a pin older than this column)
     * @param requestedVersion the definition's {@code schemeVersion} it was pinned for (null as above)
     */
    public record Pin(String schemeId, int version, String requestedScheme, Integer requestedVersion) {
        /** Whether the pin was made for this {@code scheme} and {@code schemeVersion} of the definition. */
        public boolean madeFor(String scheme, int schemeVersion) {
            return scheme.equals(requestedScheme) && requestedVersion != null && requestedVersion == schemeVersion;
        }

        /** The scheme id and version. */
        public Map.Entry<String, Integer> entry() {
            return Map.entry(schemeId, version);
        }
    }

    /** A campaign's pin with what it was made for, if it was pinned. */
    public Optional<Pin> pinOf(String campaignId) {
        return Rows.first(ds, "reading the scheme pin of " + campaignId, "SELECT scheme_id, scheme_version,"
            + " requested_scheme, requested_version FROM cascade_pin WHERE campaign_id = ?", rs -> {
                int rv = rs.getInt(4);
                return new Pin(rs.getString(1), rs.getInt(2), rs.getString(3), rs.wasNull() ? null : rv);
            }, campaignId);
    }

    /** Pins a campaign to a scheme version unless it is pinned already; returns the pin that holds. */
    public Map.Entry<String, Integer> pinIfAbsent(String campaignId, String schemeId, int version) {
        return pinIfAbsent(campaignId, schemeId, version, null, 0).entry();
    }

    /**
     * Pins a campaign to a scheme version, made for the definition's {@code requestedScheme} and
     * {@code requestedVersion}, unless it is pinned already; returns the pin that holds.
     */
    public Pin pinIfAbsent(String campaignId, String schemeId, int version, String requestedScheme,
                           int requestedVersion) {
        try (Connection c = ds.getConnection()) {
            try {
                Rows.update(c, "INSERT INTO cascade_pin (campaign_id, scheme_id, scheme_version, pinned_at,"
                    + " requested_scheme, requested_version) VALUES (?,?,?,?,?,?)", campaignId, schemeId, version,
                    clock.instant(), requestedScheme, requestedScheme == null ? null : requestedVersion);
                LOG.info("campaign {} runs scheme {} v{}", campaignId, schemeId, version);
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StorageException("pinning the scheme of campaign " + campaignId + " failed", e);
        }
        return pinOf(campaignId).orElseThrow();
    }

    /**
     * Pins a campaign again (its definition names another scheme or version), replacing {@code old} unless another
     * writer replaced it first; returns the pin that holds.
     */
    public Pin repin(String campaignId, Pin old, String schemeId, int version, String requestedScheme,
                     int requestedVersion) {
        int n = update("re-pinning the scheme of campaign " + campaignId, "UPDATE cascade_pin SET"
            + " scheme_id = ?, scheme_version = ?, pinned_at = ?, requested_scheme = ?, requested_version = ?"
            + " WHERE campaign_id = ? AND scheme_id = ? AND scheme_version = ?", schemeId, version, clock.instant(),
            requestedScheme, requestedVersion, campaignId, old.schemeId(), old.version());
        if (n == 1) {
            LOG.info("campaign {} runs scheme {} v{} from now on (was {} v{}); its runs started before keep theirs",
                campaignId, schemeId, version, old.schemeId(), old.version());
        }
        return pinOf(campaignId).orElseThrow();
    }

    /** Records what an older pin (made before its definition was recorded) was made for; the pin stays. */
    public void adopt(String campaignId, String requestedScheme, int requestedVersion) {
        update("recording the definition of the scheme pin of " + campaignId, "UPDATE cascade_pin SET"
            + " requested_scheme = ?, requested_version = ? WHERE campaign_id = ? AND requested_scheme IS NULL",
            requestedScheme, requestedVersion, campaignId);
    }

    private int update(String what, String sql, Object... params) {
        try (Connection c = ds.getConnection()) {
            return Rows.update(c, sql, params);
        } catch (SQLException e) {
            throw new StorageException(what + " failed", e);
        }
    }

    private Optional<SchemeVersion> latest(Connection c, String schemeId) throws SQLException {
        List<SchemeVersion> l = Rows.list(c, "SELECT " + COLUMNS + " FROM scheme_version WHERE scheme_id = ?"
            + " ORDER BY version DESC LIMIT 1", JdbcSchemeStore::version, schemeId);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    private static SchemeVersion version(ResultSet rs) throws SQLException {
        String errors = rs.getString(6);
        return new SchemeVersion(rs.getString(1), rs.getInt(2), SchemeDocuments.Format.valueOf(rs.getString(3)),
            rs.getString(4), rs.getBoolean(5), errors == null || errors.isEmpty() ? List.of()
            : List.of(errors.split("\n")), Rows.instant(rs, 7));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.outdial.dialer.flow;

import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.storage.StorageException;
import io.outdial.ivr.engine.FlowInterpreter;
import io.outdial.ivr.flow.Flow;
import io.outdial.ivr.flow.FlowDocuments;
import io.outdial.ivr.flow.FlowValidator;
import io.outdial.ivr.flow.ValidationError;
import io.outdial.ivr.flow.ValidationReport;
import io.outdial.ivr.flow.VoiceCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Versioned flow documents over JDBC (migration V4). Saving a changed document creates the next version; saving the
 * same text again returns the latest version unchanged. Invalid documents are kept as drafts with their errors,
 * but only valid versions are {@link #attachable}. Blocking: call it on a worker.
 */
public final class JdbcFlowStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcFlowStore.class);
    private static final String COLUMNS = "flow_id, version, format, document, valid, errors, saved_at";
    private static final int SAVE_TRIES = 3;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    private final DataSource dataSource;
    private final Clock clock;
    private final VoiceCatalog voices;

    /** A store whose documents are validated against {@code voices}. */
    public JdbcFlowStore(DataSource dataSource, Clock clock, VoiceCatalog voices) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.voices = voices;
    }

    /** What {@link #latestValid} answers for a flow id with no version at all (no such flow). */
    public static final int NO_FLOW = -1;

    /**
     * What a save did.
     *
     * @param version the version number the document has now (the new one, or the unchanged latest)
     * @param valid   whether that version is valid (attachable), not a draft with errors
     * @param created whether the save made a new version (false: the text was the latest version's)
     */
    public record Saved(int version, boolean valid, boolean created) { }

    /** What a save did, with the stored version. */
    record SavedVersion(FlowVersion version, boolean created) { }

    /** Validates and saves {@code document} under {@code flowId}; a new version only when the text changed. */
    public Saved save(String flowId, String document, FlowDocuments.Format format) {
        SavedVersion s = saveVersion(flowId, document, format);
        return new Saved(s.version().version(), s.version().valid(), s.created());
    }

    /** {@link #save}, answering the stored version. */
    SavedVersion saveVersion(String flowId, String document, FlowDocuments.Format format) {
        ValidationReport report = FlowValidator.validate(document, format, voices);
        List<String> errors = new ArrayList<>();
        report.errors().forEach(e -> errors.add(e.render()));
        boolean valid = report.isValid();
        if (report.flow() != null && !flowId.equals(report.flow().id())) {
            errors.add(new ValidationError(ValidationError.Severity.ERROR, null, "$.id", "document id \""
                + report.flow().id() + "\" differs from the flow id \"" + flowId + "\" it is saved under").render());
            valid = false;
        }
        String hash = sha256(format.name() + "\n" + document);
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                Optional<FlowVersion> latest = latest(c, flowId);
                if (latest.isPresent() && hash.equals(hashOf(c, flowId, latest.get().version()))) {
                    return new SavedVersion(latest.get(), false);
                }
                FlowVersion v = new FlowVersion(flowId, latest.map(l -> l.version() + 1).orElse(1), format, document,
                    valid, errors, clock.instant());
                insert(c, v, hash);
                LOG.info("flow {} v{} saved: {}, {} problem(s)", flowId, v.version(), valid ? "valid" : "invalid draft",
                    errors.size());
                return new SavedVersion(v, true);
            } catch (SQLException e) {
                // Two saves racing for the same next version: one loses on the primary key and retries.
                if (attempt >= SAVE_TRIES) {
                    throw new StorageException("saving flow " + flowId + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** The version a campaign keeps running, exactly as saved. */
    Optional<FlowVersion> load(String flowId, int version) {
        return query("SELECT " + COLUMNS + " FROM flow_version WHERE flow_id = ? AND version = ?", flowId, version)
            .stream().findFirst();
    }

    /** The newest version of a flow. */
    Optional<FlowVersion> latest(String flowId) {
        try (Connection c = dataSource.getConnection()) {
            return latest(c, flowId);
        } catch (SQLException e) {
            throw new StorageException("reading flow " + flowId + " failed: " + e.getMessage(), e);
        }
    }

    /** Every version of a flow, oldest first. */
    List<FlowVersion> versions(String flowId) {
        return query("SELECT " + COLUMNS + " FROM flow_version WHERE flow_id = ? ORDER BY version", flowId, null);
    }

    /**
     * The newest valid (attachable) version of {@code flowId}: 0 when every version is a draft with errors,
     * {@link #NO_FLOW} when there is no flow {@code flowId}.
     */
    public int latestValid(String flowId) {
        List<FlowVersion> all = versions(flowId);
        if (all.isEmpty()) {
            return NO_FLOW;
        }
        return all.stream().filter(FlowVersion::valid).mapToInt(FlowVersion::version).max().orElse(0);
    }

    /** True for a valid flow id: 1-64 letters, digits, '_', '.' or '-'. */
    public static boolean validId(String flowId) {
        return FlowVersion.validId(flowId);
    }

    /**
     * One stored flow, as the flow list shows it.
     *
     * @param latest      its newest version
     * @param versions    how many versions it has
     * @param latestValid its newest valid version, or null when every version is a draft
     * @param savedAt     when its newest version was saved
     */
    public record FlowSummary(String flowId, int latest, int versions, Integer latestValid, java.time.Instant savedAt) { }

    /** Every stored flow, by id. */
    public List<FlowSummary> flows() {
        List<FlowSummary> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT flow_id, version, valid, saved_at FROM flow_version ORDER BY flow_id, version");
             ResultSet rs = ps.executeQuery()) {
            FlowSummary current = null;
            while (rs.next()) {
                String id = rs.getString(1);
                int version = rs.getInt(2);
                boolean valid = rs.getBoolean(3);
                java.time.Instant at = rs.getObject(4, OffsetDateTime.class).toInstant();
                if (current != null && !current.flowId().equals(id)) {
                    out.add(current);
                    current = null;
                }
                current = new FlowSummary(id, version, current == null ? 1 : current.versions() + 1,
                    valid ? Integer.valueOf(version) : current == null ? null : current.latestValid(), at);
            }
            if (current != null) {
                out.add(current);
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing flows failed: " + e.getMessage(), e);
        }
    }

    /** Whether this version exists and is valid, so a campaign may start with it. */
    public boolean attachable(String flowId, int version) {
        return load(flowId, version).map(FlowVersion::valid).orElse(false);
    }

    /**
     * The runner of an attachable version. The store's version number is the one that runs (and that every
     * {@code FlowResult} records), whatever the document's own {@code version} field says.
     *
     * @throws FlowStoreException when the version does not exist or is not valid
     */
    public FlowInterpreter runner(String flowId, int version) {
        return FlowInterpreter.of(report(flowId, version));
    }

    /**
     * As {@link #runner(String, int)}, for a caller that answers HTTP: a version that does not exist is a 404
     * problem, one that cannot run (an invalid draft, or it no longer validates) a 409 problem with the reason.
     */
    public FlowInterpreter runnerOrProblem(String flowId, int version) {
        try {
            return runner(flowId, version);
        } catch (FlowStoreException e) {
            if (load(flowId, version).isEmpty()) {
                throw ProblemException.notFound("flow " + flowId + " has no version " + version);
            }
            throw ProblemException.conflict(e.getMessage());
        }
    }

    /** The validated flow of an attachable version, stamped with the store's version number. */
    public ValidationReport report(String flowId, int version) {
        FlowVersion v = load(flowId, version).orElseThrow(() -> new FlowStoreException(
            "flow " + flowId + " has no version " + version));
        if (!v.valid()) {
            throw new FlowStoreException("flow " + flowId + " v" + version + " is an invalid draft and cannot be"
                + " attached: " + String.join("; ", v.errors()));
        }
        ValidationReport r = FlowValidator.validate(v.document(), v.format(), voices);
        if (!r.isValid()) {
            throw new FlowStoreException("flow " + flowId + " v" + version + " no longer validates (voices changed?): "
                + r.render());
        }
        Flow f = r.flow();
        return new ValidationReport(new Flow(f.id(), version, f.name(), f.voice(), f.start(), f.nodes(), f.variables()),
            r.errors());
    }

    private Optional<FlowVersion> latest(Connection c, String flowId) throws SQLException {
        List<FlowVersion> rows = read(c, "SELECT " + COLUMNS + " FROM flow_version WHERE flow_id = ?"
            + " ORDER BY version DESC FETCH FIRST 1 ROWS ONLY", flowId, null);
        return rows.stream().findFirst();
    }

    private static String hashOf(Connection c, String flowId, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT document_sha256 FROM flow_version WHERE flow_id = ? AND version = ?")) {
            ps.setString(1, flowId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void insert(Connection c, FlowVersion v, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO flow_version (flow_id, version, format, document,"
            + " document_sha256, valid, error_count, errors, saved_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, v.flowId());
            ps.setInt(2, v.version());
            ps.setString(3, v.format().name());
            ps.setString(4, v.document());
            ps.setString(5, hash);
            ps.setBoolean(6, v.valid());
            ps.setInt(7, v.errors().size());
            ps.setString(8, toJson(v.errors()));
            ps.setObject(9, v.savedAt().atOffset(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    private List<FlowVersion> query(String sql, String flowId, Integer version) {
        try (Connection c = dataSource.getConnection()) {
            return read(c, sql, flowId, version);
        } catch (SQLException e) {
            throw new StorageException("reading flow " + flowId + (version == null ? "" : " v" + version)
                + " failed: " + e.getMessage(), e);
        }
    }

    private static List<FlowVersion> read(Connection c, String sql, String flowId, Integer version)
        throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, flowId);
            if (version != null) {
                ps.setInt(2, version);
            }
            List<FlowVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String errors = rs.getString("errors");
                    out.add(new FlowVersion(rs.getString("flow_id"), rs.getInt("version"),
                        FlowDocuments.Format.valueOf(rs.getString("format")), rs.getString("document"),
                        rs.getBoolean("valid"), fromJson(errors),
                        rs.getObject("saved_at", OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        }
    }

    private static String toJson(List<String> errors) {
        try {
            return JSON.writeValueAsString(errors);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode flow errors", e);
        }
    }

    private static List<String> fromJson(String errors) {
        try {
            return List.of(JSON.readValue(errors, String[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new FlowStoreException("stored flow errors are not a JSON list: " + e.getOriginalMessage(), e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}

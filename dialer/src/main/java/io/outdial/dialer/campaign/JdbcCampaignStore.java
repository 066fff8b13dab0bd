package io.outdial.dialer.campaign;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Campaigns in table {@code campaign}, with optimistic state changes. Blocking JDBC: run on a worker. */
public final class JdbcCampaignStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCampaignStore.class);
    private static final String COLUMNS = "id, name, state, priority, weight, always_active, starts_at, ends_at,"
            + " settings, created_at, updated_at, version";

    private static final com.fasterxml.jackson.databind.ObjectMapper FLOW_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final DataSource ds;
    private final Clock clock;

    public JdbcCampaignStore(DataSource ds, Clock clock) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stores a new campaign; a duplicate id is an IllegalArgumentException. */
    public void create(Campaign c) {
        String sql = "INSERT INTO campaign (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, c.id());
            ps.setString(2, c.name());
            ps.setString(3, c.state().name());
            ps.setInt(4, c.priority());
            ps.setInt(5, c.weight());
            ps.setBoolean(6, c.alwaysActive());
            setTime(ps, 7, c.startsAt());
            setTime(ps, 8, c.endsAt());
            ps.setString(9, c.settings());
            setTime(ps, 10, c.createdAt());
            setTime(ps, 11, c.updatedAt());
            ps.setInt(12, c.version());
            ps.executeUpdate();
            LOG.info("campaign {}: created as {}", c.id(), c.state());
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new IllegalArgumentException("campaign id \"" + c.id() + "\" already exists", e);
            }
            throw new StorageException("creating campaign " + c.id() + " failed", e);
        }
    }

    public Optional<Campaign> get(String id) {
        try (Connection conn = ds.getConnection();
             PreparedStatement ps = conn.prepareStatement("SELECT " + COLUMNS + " FROM campaign WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("reading campaign " + id + " failed", e);
        }
    }

    /** All campaigns in a state (e.g. the RUNNING ones a node schedules). */
    public List<Campaign> inState(CampaignState state) {
        return inStates(List.of(state));
    }

    /**
     * The campaigns in any of {@code states}, by priority then id, read in one statement: a campaign moving from one
     * of them to another meanwhile is seen once, in one of the two (read state by state, it could be missed by both
     * reads).
     */
    public List<Campaign> inStates(List<CampaignState> states) {
        List<Campaign> out = new ArrayList<>();
        String marks = String.join(", ", Collections.nCopies(states.size(), "?"));
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT " + COLUMNS + " FROM campaign WHERE state IN (" + marks + ") ORDER BY priority DESC, id")) {
            for (int i = 0; i < states.size(); i++) {
                ps.setString(i + 1, states.get(i).name());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing " + states + " campaigns failed", e);
        }
    }

    /**
     * Moves {@code c} to {@code to} if nobody changed it since it was read (same version and state).
     *
     * @return the updated campaign, or empty when a concurrent change won (re-read and decide again)
     * @throws IllegalStateException when the move is not allowed from its state
     */
    public Optional<Campaign> moveTo(Campaign c, CampaignState to, String reason) {
        checkManual(c, to);
        Instant now = clock.instant();
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE campaign SET state = ?, updated_at = ?, version = version + 1"
                        + " WHERE id = ? AND version = ? AND state = ?")) {
            ps.setString(1, to.name());
            setTime(ps, 2, now);
            ps.setString(3, c.id());
            ps.setInt(4, c.version());
            ps.setString(5, c.state().name());
            if (ps.executeUpdate() != 1) {
                return Optional.empty();
            }
            LOG.info("campaign {}: {} -> {} ({})", c.id(), c.state(), to, reason);
            return Optional.of(new Campaign(c.id(), c.name(), to, c.priority(), c.weight(), c.alwaysActive(),
                    c.startsAt(), c.endsAt(), c.settings(), c.createdAt(), now, c.version() + 1));
        } catch (SQLException e) {
            throw new StorageException("moving campaign " + c.id() + " to " + to + " failed", e);
        }
    }

    /** Saves the editable fields (name, share, schedule, settings) if the version still matches. */
    public boolean update(Campaign c) {
        return update(c, false);
    }

    /**
     * As {@link #update(Campaign)}; {@code clearFlowPin} also forgets the pinned flow version (the definition's
     * flow changed), so the campaign's next start picks its version again.
     */
    public boolean update(Campaign c, boolean clearFlowPin) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE campaign SET name = ?, priority = ?, weight = ?, always_active = ?, starts_at = ?, ends_at = ?,"
                        + " settings = ?, updated_at = ?, version = version + 1"
                        + (clearFlowPin ? ", flow_version_pin = NULL" : "") + " WHERE id = ? AND version = ?")) {
            ps.setString(1, c.name());
            ps.setInt(2, c.priority());
            ps.setInt(3, c.weight());
            ps.setBoolean(4, c.alwaysActive());
            setTime(ps, 5, c.startsAt());
            setTime(ps, 6, c.endsAt());
            ps.setString(7, c.settings());
            setTime(ps, 8, clock.instant());
            ps.setString(9, c.id());
            ps.setInt(10, c.version());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("updating campaign " + c.id() + " failed", e);
        }
    }

    /** The stored flow version the campaign is pinned to, if it started since its flow was set. */
    public OptionalInt flowPin(String id) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT flow_version_pin FROM campaign WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return OptionalInt.empty();
                }
                int v = rs.getInt(1);
                return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
            }
        } catch (SQLException e) {
            throw new StorageException("reading the flow version of campaign " + id + " failed", e);
        }
    }

    /**
     * Pins the campaign to flow version {@code version} and returns the pinned version. With {@code replace} false
     * an existing pin is kept (the first start wins, also against another node starting it at the same time);
     * with true (the definition names its version) it is overwritten. Does not change the row's version.
     */
    public int pinFlow(String id, int version, boolean replace) {
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE campaign SET flow_version_pin = ? WHERE id = ?"
                        + (replace ? "" : " AND flow_version_pin IS NULL"))) {
            ps.setInt(1, version);
            ps.setString(2, id);
            if (ps.executeUpdate() == 1) {
                LOG.info("campaign {}: runs flow version {}", id, version);
            }
        } catch (SQLException e) {
            throw new StorageException("pinning the flow version of campaign " + id + " failed", e);
        }
        return flowPin(id).orElseThrow(() -> new IllegalStateException("campaign " + id + " does not exist"));
    }

    private static Campaign read(ResultSet rs) throws SQLException {
        return new Campaign(rs.getString(1), rs.getString(2), CampaignState.valueOf(rs.getString(3)), rs.getInt(4),
                rs.getInt(5), rs.getBoolean(6), instant(rs, 7), instant(rs, 8), rs.getString(9), instant(rs, 10),
                instant(rs, 11), rs.getInt(12));
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        }
    }

    /** One row of {@code campaign} without its definition, for lists. */
    public record CampaignRow(String id, String name, String state, int priority, int weight, boolean alwaysActive,
                              Instant startsAt, Instant endsAt, Instant createdAt, Instant updatedAt) { }

    /** One page of campaigns (optionally in one state), oldest first. */
    public List<CampaignRow> page(String state, int limit, long offset) {
        String sql = "SELECT id, name, state, priority, weight, always_active, starts_at, ends_at, created_at,"
            + " updated_at FROM campaign" + (state == null ? "" : " WHERE state = ?")
            + " ORDER BY created_at, id LIMIT ? OFFSET ?";
        Object[] params = state == null ? new Object[] {limit, offset} : new Object[] {state, limit, offset};
        return Rows.list(ds, "listing campaigns", sql, rs -> new CampaignRow(rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getBoolean(6), Rows.instant(rs, 7), Rows.instant(rs, 8),
            Rows.instant(rs, 9), Rows.instant(rs, 10)), params);
    }

    /** How many campaigns there are (in {@code state}, when not null). */
    public long count(String state) {
        return state == null ? Rows.count(ds, "counting campaigns", "SELECT COUNT(*) FROM campaign")
            : Rows.count(ds, "counting campaigns", "SELECT COUNT(*) FROM campaign WHERE state = ?", state);
    }

    /**
     * A campaign whose definition names a stored flow.
     *
     * @param flowVersion the version its definition names; 0 = the latest valid version at its first start
     * @param pinned      the version it was pinned to at its first start (V7), or null when not pinned yet
     */
    public record FlowUse(String campaignId, String name, String state, String flowId, int flowVersion,
                          Integer pinned) { }

    /** Every campaign whose definition names a stored flow ({@code flowId}), by id. */
    public List<FlowUse> flowUses() {
        return Rows.list(ds, "listing the flows of campaigns", "SELECT id, name, state, settings, flow_version_pin FROM campaign"
            + " WHERE settings LIKE ? ORDER BY id", rs -> {
                int pin = rs.getInt(5);
                Integer pinned = rs.wasNull() ? null : pin;
                try {
                    com.fasterxml.jackson.databind.JsonNode root = FLOW_JSON.readTree(rs.getString(4));
                    if (root != null && root.path("flowId").isTextual()) {
                        return new FlowUse(rs.getString(1), rs.getString(2), rs.getString(3),
                            root.get("flowId").asText(), root.path("flowVersion").asInt(0), pinned);
                    }
                } catch (java.io.IOException e) {
                    LOG.debug("campaign {}: stored definition is not JSON, no flow read from it", rs.getString(1));
                }
                return null;
            }, "%flowId%").stream().filter(Objects::nonNull).toList();
    }

    /** What {@link #deleteDraft} did. */
    public enum DraftDelete { DELETED, NOT_DRAFT, IMPORT_ACTIVE }

    /**
     * Deletes a DRAFT campaign with its contacts, imports, rejected rows and its own stop-list, in one transaction
     * (the campaign owns them: they go with it). The campaign row is locked first; an import of it that is QUEUED or
     * RUNNING (touched since {@code importAliveSince}) then refuses the delete. An import starting at the same time
     * locks the same row ({@code ApiImportStore.create}), so it is either seen here or finds no campaign.
     *
     * @return DELETED, NOT_DRAFT when the campaign is not (or no longer) a draft, or IMPORT_ACTIVE
     */
    public DraftDelete deleteDraft(String id, Instant importAliveSince) {
        try {
            return Database.inTransaction(ds, c -> {
                List<String> state = Rows.list(c, "SELECT state FROM campaign WHERE id = ? FOR UPDATE",
                    rs -> rs.getString(1), id);
                if (state.isEmpty() || !"DRAFT".equals(state.get(0))) {
                    return DraftDelete.NOT_DRAFT;
                }
                if (Rows.count(c, "SELECT COUNT(*) FROM api_import WHERE campaign_id = ?"
                    + " AND state IN ('QUEUED', 'RUNNING') AND updated_at >= ?", id, importAliveSince) > 0) {
                    return DraftDelete.IMPORT_ACTIVE;
                }
                if (Rows.update(c, "DELETE FROM campaign WHERE id = ? AND state = 'DRAFT'", id) == 0) {
                    return DraftDelete.NOT_DRAFT;
                }
                for (String sql : List.of(
                    "DELETE FROM contact_import_rejection WHERE import_id IN"
                        + " (SELECT id FROM contact_import WHERE campaign_id = ?)",
                    "DELETE FROM contact WHERE campaign_id = ?",
                    "DELETE FROM contact_import WHERE campaign_id = ?",
                    "DELETE FROM api_import WHERE campaign_id = ?",
                    "DELETE FROM stop_list WHERE scope = ?")) {
                    Rows.update(c, sql, id);
                }
                return DraftDelete.DELETED;
            });
        } catch (SQLException e) {
            throw new StorageException("deleting campaign " + id + " failed", e);
        }
    }

    /**
     * Checks a manual move.
     *
     * @throws IllegalStateException naming the campaign, its state and the allowed moves
     */
    static void checkManual(Campaign c, CampaignState to) {
        if (!c.state().canMoveTo(to)) {
            throw new IllegalStateException("campaign " + c.id() + " is " + c.state() + " and cannot move to " + to
                    + "; allowed: " + c.state().next());
        }
    }
}

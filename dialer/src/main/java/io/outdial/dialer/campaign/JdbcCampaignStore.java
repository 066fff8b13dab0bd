package io.outdial.dialer.campaign;

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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Campaigns in table {@code campaign}, with optimistic state changes. Blocking JDBC: run on a worker. */
public final class JdbcCampaignStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCampaignStore.class);
    private static final String COLUMNS = "id, name, state, priority, weight, always_active, starts_at, ends_at,"
            + " settings, created_at, updated_at, version";

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
        List<Campaign> out = new ArrayList<>();
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "SELECT " + COLUMNS + " FROM campaign WHERE state = ? ORDER BY priority DESC, id")) {
            ps.setString(1, state.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("listing " + state + " campaigns failed", e);
        }
    }

    /**
     * Moves {@code c} to {@code to} if nobody changed it since it was read (same version and state).
     *
     * @return the updated campaign, or empty when a concurrent change won (re-read and decide again)
     * @throws IllegalStateException when the move is not allowed from its state
     */
    public Optional<Campaign> moveTo(Campaign c, CampaignState to, String reason) {
        CampaignLifecycle.checkManual(c, to);
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
        try (Connection conn = ds.getConnection(); PreparedStatement ps = conn.prepareStatement(
                "UPDATE campaign SET name = ?, priority = ?, weight = ?, always_active = ?, starts_at = ?, ends_at = ?,"
                        + " settings = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?")) {
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
}

package io.outdial.dialer.cascade;

import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.fallback.channel.ChatPeers;
import io.outdial.fallback.scheme.ChannelType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The chat channels' {@link ChatPeers} in tables {@code chat_bot_user} and {@code chat_inbound}, shared by every
 * node on the database and kept across restarts. Each write is an update, or an insert when there is no row yet
 * (a concurrent insert of the same key turns into the update). Blocking JDBC: the channels call it on workers.
 */
final class JdbcChatPeers implements ChatPeers {
    private static final String UNIQUE_VIOLATION = "23505";

    private final Supplier<DataSource> ds;
    private final Clock clock;

    /** Over the data source {@code ds} gives when called (the node's database once it is open). */
    public JdbcChatPeers(Supplier<DataSource> ds, Clock clock) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void botUser(ChannelType channel, String userId, String address, String lastToken) {
        Instant now = clock.instant();
        upsert("bot user " + userId,
            "UPDATE chat_bot_user SET address = ?, last_token = ?, updated_at = ? WHERE channel = ? AND user_id = ?",
            new Object[] {address, lastToken, now, channel.name(), userId},
            "INSERT INTO chat_bot_user (channel, user_id, address, last_token, updated_at) VALUES (?,?,?,?,?)",
            new Object[] {channel.name(), userId, address, lastToken, now});
    }

    @Override
    public BotUser botUser(ChannelType channel, String userId) {
        try (Connection c = ds.get().getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT address, last_token FROM chat_bot_user WHERE channel = ? AND user_id = ?")) {
            ps.setString(1, channel.name());
            ps.setString(2, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new BotUser(rs.getString(1), rs.getString(2)) : null;
            }
        } catch (SQLException e) {
            throw new StorageException("read of bot user " + userId + " failed", e);
        }
    }

    @Override
    public void inbound(ChannelType channel, String address, Instant at) {
        upsert("message time of " + address,
            "UPDATE chat_inbound SET last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END"
                + " WHERE channel = ? AND address = ?",
            new Object[] {at, at, channel.name(), address},
            "INSERT INTO chat_inbound (channel, address, last_at) VALUES (?,?,?)",
            new Object[] {channel.name(), address, at});
    }

    @Override
    public Instant lastInbound(ChannelType channel, String address) {
        try (Connection c = ds.get().getConnection(); PreparedStatement ps = c.prepareStatement(
            "SELECT last_at FROM chat_inbound WHERE channel = ? AND address = ?")) {
            ps.setString(1, channel.name());
            ps.setString(2, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Rows.instant(rs, 1) : null;
            }
        } catch (SQLException e) {
            throw new StorageException("read of the message time of " + address + " failed", e);
        }
    }

    private void upsert(String what, String update, Object[] updateArgs, String insert, Object[] insertArgs) {
        try (Connection c = ds.get().getConnection()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                if (execute(c, update, updateArgs) > 0) {
                    return;
                }
                try {
                    execute(c, insert, insertArgs);
                    return;
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    // inserted meanwhile by another writer: update that row
                }
            }
            throw new StorageException("write of the " + what + " failed: the row appeared and vanished", null);
        } catch (SQLException e) {
            throw new StorageException("write of the " + what + " failed", e);
        }
    }

    private static int execute(Connection c, String sql, Object[] args) throws SQLException {
        return Rows.update(c, sql, args);
    }
}

package io.outdial.dialer.cascade;

import io.outdial.dialer.storage.Rows;
import io.outdial.dialer.storage.StorageException;
import io.outdial.fallback.channel.ChannelEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Work handed to the node that runs the cascades, in table {@code cascade_inbox}: an event (a provider's callback, an
 * SMS receipt or reply) or the cancel of a run that reached a node whose engine is not running. The engine's node
 * takes the oldest entries and deletes each once handled, so an entry outlives the death of either node. Blocking
 * JDBC: call on a worker.
 */
final class CascadeInbox {
    /** An entry: an event, or ({@code event} null) the cancel of {@code runId}. */
    record Entry(long id, String runId, ChannelEvent event) { }

    private static final String EVENT = "EVENT";
    private static final String CANCEL = "CANCEL";

    private final DataSource ds;
    private final Clock clock;

    CascadeInbox(DataSource ds, Clock clock) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Hands an event over. */
    void event(ChannelEvent e) {
        put(EVENT, null, JdbcRunStore.json(e));
    }

    /** Hands the cancel of a run over. */
    void cancel(String runId) {
        put(CANCEL, runId, null);
    }

    /** The oldest entries, at most {@code limit}. */
    List<Entry> oldest(int limit) {
        return Rows.list(ds, "reading the cascade inbox", "SELECT id, kind, run_id, event FROM cascade_inbox"
            + " ORDER BY id LIMIT " + limit, rs -> new Entry(rs.getLong(1), rs.getString(3),
            EVENT.equals(rs.getString(2)) ? JdbcRunStore.event(rs.getString(4)) : null));
    }

    /** Removes a handled entry. */
    void done(long id) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "DELETE FROM cascade_inbox WHERE id = ?", id);
        } catch (SQLException e) {
            throw new StorageException("removing cascade inbox entry " + id + " failed", e);
        }
    }

    /** Entries waiting. */
    long size() {
        return Rows.count(ds, "counting the cascade inbox", "SELECT COUNT(*) FROM cascade_inbox");
    }

    private void put(String kind, String runId, String event) {
        try (Connection c = ds.getConnection()) {
            Rows.update(c, "INSERT INTO cascade_inbox (kind, run_id, event, created_at) VALUES (?, ?, ?, ?)", kind,
                runId, event, clock.instant());
        } catch (SQLException e) {
            throw new StorageException("handing a cascade " + kind.toLowerCase(java.util.Locale.ROOT)
                + " to the engine's node failed", e);
        }
    }
}

package io.outdial.dialer.dialing;

import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.support.TestDatabases;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconcile loop's read of the campaign table. */
class CampaignTableTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void aCampaignResumedWhileTheTableIsReadIsSeenInOneStateOrTheOther() {
        try (TestDatabases.TestDatabase db = TestDatabases.h2()) {
            Database.migrate(db.dataSource());
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            JdbcCampaignStore store = new JdbcCampaignStore(db.dataSource(), clock);
            store.create(Campaign.draft("c1", "c1", NOW));
            store.moveTo(store.get("c1").orElseThrow(), CampaignState.RUNNING, "test");
            store.moveTo(store.get("c1").orElseThrow(), CampaignState.PAUSED, "test");
            // the campaign is resumed right after the table's first query has run (before the next could)
            DataSource racing = resumedAfterTheFirstRead(db.dataSource(), "c1");
            Database database = Database.open(vertx, racing, "test", 1);

            CampaignTable.Snapshot snap = new CampaignTable(database, clock, CampaignOwnership.local())
                .read(List.of(), List.of(), false);

            assertThat(snap.rows()).as("a campaign missing from the read is dropped with its counts as gone")
                .containsKey("c1");
        }
    }

    /** {@code ds}, but the first query of the campaign table is followed at once by a resume of {@code id}. */
    private static DataSource resumedAfterTheFirstRead(DataSource ds, String id) {
        AtomicBoolean done = new AtomicBoolean();
        return proxy(DataSource.class, ds, (target, method, args) -> {
            Object result = method.invoke(target, args);
            if (!(result instanceof Connection c)) {
                return result;
            }
            return proxy(Connection.class, c, (conn, m, a) -> {
                Object r = m.invoke(conn, a);
                boolean tableRead = a != null && String.valueOf(a[0]).contains("FROM campaign WHERE state");
                if (!(r instanceof PreparedStatement ps) || !tableRead) {
                    return r;
                }
                return proxy(PreparedStatement.class, ps, (st, sm, sa) -> {
                    Object out = sm.invoke(st, sa);
                    if (sm.getName().equals("executeQuery") && done.compareAndSet(false, true)) {
                        try (Connection other = ds.getConnection(); PreparedStatement u = other.prepareStatement(
                                "UPDATE campaign SET state = 'RUNNING' WHERE id = ?")) {
                            u.setString(1, id);
                            u.executeUpdate();
                        }
                    }
                    return out;
                });
            });
        });
    }

    private interface Call<T> {
        Object call(T target, java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, Call<T> call) {
        InvocationHandler h = (p, method, args) -> {
            try {
                return call.call(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }
}

package io.outdial.dialer.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.sql.DataSource;

/** A DataSource that counts the statements prepared through it (database round trips), by SQL text. */
public final class CountingDataSource {
    private final DataSource target;
    private final Map<String, AtomicLong> bySql = new ConcurrentHashMap<>();
    private volatile Predicate<String> held = sql -> false;
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final AtomicLong waiting = new AtomicLong();

    public CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The counting DataSource. */
    public DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                forward(target));
    }

    /**
     * Holds every statement whose SQL matches {@code which} (the calling thread waits, as on a slow database) until
     * {@link #release()}.
     */
    public void hold(Predicate<String> which) {
        held = which;
    }

    /** Lets the held statements go, and every later one. */
    public void release() {
        held = sql -> false;
        release.countDown();
    }

    /** Statements waiting in {@link #hold} now. */
    public long waiting() {
        return waiting.get();
    }

    /** Statements prepared so far. */
    public long total() {
        return bySql.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Statements prepared so far whose SQL matches {@code which}. */
    public long count(Predicate<String> which) {
        return bySql.entrySet().stream().filter(e -> which.test(e.getKey())).mapToLong(e -> e.getValue().get()).sum();
    }

    /** The counts by SQL text (for failure messages). */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.TreeMap<>();
        bySql.forEach((k, v) -> out.put(k.length() > 80 ? k.substring(0, 80) : k, v.get()));
        return out;
    }

    private InvocationHandler forward(DataSource to) {
        return (proxy, m, args) -> {
            Object r;
            try {
                r = m.invoke(to, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (r instanceof Connection) {
                Connection c = (Connection) r;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                        connection(c));
            }
            return r;
        };
    }

    private InvocationHandler connection(Connection c) {
        return (proxy, m, args) -> {
            if ((m.getName().equals("prepareStatement") || m.getName().equals("prepareCall")) && args != null
                    && args[0] instanceof String) {
                bySql.computeIfAbsent((String) args[0], k -> new AtomicLong()).incrementAndGet();
                if (held.test((String) args[0])) {
                    waiting.incrementAndGet();
                    try {
                        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } finally {
                        waiting.decrementAndGet();
                    }
                }
            }
            try {
                return m.invoke(c, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }
}

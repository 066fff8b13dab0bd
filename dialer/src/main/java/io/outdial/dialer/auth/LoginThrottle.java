package io.outdial.dialer.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@code perUser} failed logins of one user name, or {@code perAddress} failed logins
 * from one client address, within {@code window}, further attempts for that name or from that address are refused
 * (429 with {@code Retry-After}) until the oldest failure leaves the window. A successful login clears its user's
 * count. Kept in the node's memory: each node counts its own attempts (a cluster shares the count instead, with the
 * same limits: {@link #perUser()}, {@link #perAddress()}, {@link #window()}).
 */
final class LoginThrottle implements LoginFailures {
    /** Keys tracked at most; past it, the oldest bookkeeping is dropped (an address flood cannot exhaust memory). */
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final int perUser;
    private final int perAddress;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock, int perUser, int perAddress, Duration window) {
        this.clock = clock;
        this.perUser = perUser;
        this.perAddress = perAddress;
        this.window = window;
    }

    /** Defaults: 5 failures per user, 20 per address, in 15 minutes. */
    static LoginThrottle defaults(Clock clock) {
        return new LoginThrottle(clock, 5, 20, Duration.ofMinutes(15));
    }

    @Override
    public int perUser() {
        return perUser;
    }

    @Override
    public int perAddress() {
        return perAddress;
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public Optional<Duration> wait(String user, String address) {
        Instant now = clock.instant();
        Optional<Duration> u = waitFor("u:" + user, perUser, now);
        Optional<Duration> a = waitFor("a:" + address, perAddress, now);
        if (u.isPresent() && a.isPresent()) {
            return Optional.of(u.get().compareTo(a.get()) > 0 ? u.get() : a.get());
        }
        return u.isPresent() ? u : a;
    }

    @Override
    public void failed(String user, String address) {
        if (failures.size() > MAX_KEYS) {
            failures.clear();
        }
        Instant now = clock.instant();
        add("u:" + user, now);
        add("a:" + address, now);
    }

    @Override
    public void succeeded(String user) {
        failures.remove("u:" + user);
    }

    private void add(String key, Instant now) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q, now);
            q.addLast(now);
        }
    }

    private Optional<Duration> waitFor(String key, int max, Instant now) {
        Deque<Instant> q = failures.get(key);
        if (q == null) {
            return Optional.empty();
        }
        synchronized (q) {
            prune(q, now);
            if (q.size() < max) {
                return Optional.empty();
            }
            Duration left = Duration.between(now, q.peekFirst().plus(window));
            return Optional.of(left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left);
        }
    }

    private void prune(Deque<Instant> q, Instant now) {
        Instant oldest = now.minus(window);
        while (!q.isEmpty() && !q.peekFirst().isAfter(oldest)) {
            q.removeFirst();
        }
    }
}

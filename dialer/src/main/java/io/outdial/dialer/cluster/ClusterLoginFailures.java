package io.outdial.dialer.cluster;

import com.hazelcast.map.IMap;
import io.outdial.dialer.auth.LoginFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed logins counted by the whole cluster, with the limits of this node's own count: each user name and each
 * client address is one entry of the map {@value #MAP}, changed by an entry processor on its partition (no lost
 * updates between nodes) and kept for one window after its last failure (its TTL). Spreading guesses over nodes
 * gains nothing. Blocking (a cluster round trip per key, both keys at once, at most {@link #BOUND}): call on a worker.
 *
 * <p>This node's own count ({@link LoginFailures#inMemory}) also counts its failures. When the cluster cannot answer
 * (the member is shutting down or stopped, the map's partition is unreachable, no answer within {@link #BOUND}) a
 * login is checked against that count instead of failing: the login still works and is still throttled, by this
 * node alone, and a warning is logged at most once per {@link #WARN_EVERY}.
 */
final class ClusterLoginFailures implements LoginFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLoginFailures.class);
    /** User name or address key → failure times. */
    static final String MAP = "outdial-login-failures";
    /** Longest wait for the cluster's answer before a login is checked against this node's count. */
    static final Duration BOUND = Duration.ofSeconds(2);
    /** Fallbacks to this node's count are logged at most this often. */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    private static final long WARN_EVERY_NANOS = WARN_EVERY.toNanos();

    private final ClusterNode node;
    private final LoginFailures local;
    private final AtomicLong warnedAt = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    /**
     * @param local the limits, and this node's own count (used when the cluster cannot answer)
     */
    ClusterLoginFailures(ClusterNode node, LoginFailures local) {
        this.node = node;
        this.local = local;
    }

    @Override
    public int perUser() {
        return local.perUser();
    }

    @Override
    public int perAddress() {
        return local.perAddress();
    }

    @Override
    public Duration window() {
        return local.window();
    }

    private IMap<String, long[]> map() {
        return node.hazelcast().getMap(MAP);
    }

    @Override
    public Optional<Duration> wait(String user, String address) {
        try {
            long wait = onBoth(LoginFailureProcessor.Op.CHECK, user, address);
            return wait > 0 ? Optional.of(Duration.ofMillis(wait)) : Optional.empty();
        } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            fellBack("checking", e);
            return local.wait(user, address);
        }
    }

    @Override
    public void failed(String user, String address) {
        local.failed(user, address);
        try {
            onBoth(LoginFailureProcessor.Op.FAIL, user, address);
        } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            fellBack("counting", e);
        }
    }

    /** Runs {@code op} on the user's and the address's entries at once; the longer wait of the two (ms; 0: none). */
    private long onBoth(LoginFailureProcessor.Op op, String user, String address)
        throws ExecutionException, TimeoutException, InterruptedException {
        long now = node.now();
        long window = local.window().toMillis();
        IMap<String, long[]> map = map();
        CompletionStage<Long> u = map.submitToKey("u:" + user, new LoginFailureProcessor(op, local.perUser(), now,
            window));
        CompletionStage<Long> a = map.submitToKey("a:" + address, new LoginFailureProcessor(op, local.perAddress(),
            now, window));
        long deadline = System.nanoTime() + BOUND.toNanos();
        return Math.max(answer(u, deadline), answer(a, deadline));
    }

    @Override
    public void succeeded(String user) {
        local.succeeded(user);
        try {
            answer(map().deleteAsync("u:" + user), System.nanoTime() + BOUND.toNanos());
        } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            fellBack("clearing", e);
        }
    }

    private static <T> T answer(CompletionStage<T> stage, long deadline)
        throws ExecutionException, TimeoutException, InterruptedException {
        return stage.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fellBack(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        long now = System.nanoTime();
        long last = warnedAt.get();
        if (now - last >= WARN_EVERY_NANOS && warnedAt.compareAndSet(last, now)) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("{} failed logins in the cluster map {} failed ({}): this node throttles logins by its own count"
                + " until the cluster answers again (logged at most once a minute)", what, MAP, cause.toString());
        }
    }
}

package io.outdial.dialer.cluster;

import com.hazelcast.map.IMap;
import io.outdial.dialer.auth.LoginFailures;
import io.outdial.dialer.auth.LoginThrottle;

import java.time.Duration;
import java.util.Optional;

/**
 * Failed logins counted by the whole cluster, with the limits of a {@link LoginThrottle}: each user name and each
 * client address is one entry of the map {@value #MAP}, changed by an entry processor on its partition (no lost
 * updates between nodes) and kept for one window after its last failure (its TTL). Spreading guesses over nodes
 * gains nothing. Blocking (a cluster round trip per key): call on a worker.
 */
public final class ClusterLoginFailures implements LoginFailures {
    /** User name or address key → failure times. */
    static final String MAP = "outdial-login-failures";

    private final ClusterNode node;
    private final LoginThrottle limits;

    public ClusterLoginFailures(ClusterNode node, LoginThrottle limits) {
        this.node = node;
        this.limits = limits;
    }

    private IMap<String, long[]> map() {
        return node.hazelcast().getMap(MAP);
    }

    @Override
    public Optional<Duration> wait(String user, String address) {
        long now = node.now();
        long window = limits.window().toMillis();
        IMap<String, long[]> map = map();
        long u = map.executeOnKey("u:" + user, new LoginFailureProcessor(LoginFailureProcessor.Op.CHECK,
            limits.perUser(), now, window));
        long a = map.executeOnKey("a:" + address, new LoginFailureProcessor(LoginFailureProcessor.Op.CHECK,
            limits.perAddress(), now, window));
        long wait = Math.max(u, a);
        return wait > 0 ? Optional.of(Duration.ofMillis(wait)) : Optional.empty();
    }

    @Override
    public void failed(String user, String address) {
        long now = node.now();
        long window = limits.window().toMillis();
        IMap<String, long[]> map = map();
        map.executeOnKey("u:" + user, new LoginFailureProcessor(LoginFailureProcessor.Op.FAIL, limits.perUser(), now,
            window));
        map.executeOnKey("a:" + address, new LoginFailureProcessor(LoginFailureProcessor.Op.FAIL, limits.perAddress(),
            now, window));
    }

    @Override
    public void succeeded(String user) {
        map().delete("u:" + user);
    }
}

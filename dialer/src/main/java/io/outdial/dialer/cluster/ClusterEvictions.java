package io.outdial.dialer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import io.outdial.dialer.auth.Evictions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries an eviction of the API guard ({@link Evictions}) to every member's cache: a task run on each member
 * through the executor service {@value #EXECUTOR}, waited for (at most {@link #BOUND} in all), so a token revoked
 * through one node is refused by every node as soon as the revocation is answered. A member that does not answer in
 * time drops its entry when the entry's own short TTL ends.
 */
final class ClusterEvictions implements Evictions {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvictions.class);
    static final String EXECUTOR = "outdial-auth-evictions";
    /** The key of this member's handler in the Hazelcast user context. */
    static final String HANDLER = "outdial.auth.evict";
    /** Longest wait for all members to answer. */
    static final Duration BOUND = Duration.ofSeconds(2);

    private final ClusterNode node;

    public ClusterEvictions(ClusterNode node) {
        this.node = node;
    }

    @Override
    public void handle(Consumer<Serializable> local) {
        node.userContext().put(HANDLER, local);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void everywhere(Serializable e) {
        HazelcastInstance hz = node.running();
        if (hz == null) {
            Object local = node.userContext().get(HANDLER);
            if (local != null) {
                ((Consumer<Serializable>) local).accept(e);
            }
            return;
        }
        Map<Member, Future<Boolean>> answers = hz.getExecutorService(EXECUTOR).submitToAllMembers(new Task(e));
        long deadline = System.nanoTime() + BOUND.toNanos();
        for (Map.Entry<Member, Future<Boolean>> a : answers.entrySet()) {
            try {
                a.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception failed) {
                LOG.warn("cluster member {} did not drop cached {} ({}); its cache entry ends within its TTL",
                    a.getKey().getUuid(), e, failed.toString());
            }
        }
    }

    /** Runs on each member: hands the eviction to that member's handler. */
    static final class Task implements Callable<Boolean>, Serializable, HazelcastInstanceAware {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Serializable eviction;
        private transient HazelcastInstance hz;

        Task(Serializable eviction) {
            this.eviction = eviction;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
            this.hz = hazelcastInstance;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Boolean call() {
            Object handler = hz == null ? null : hz.getUserContext().get(HANDLER);
            if (handler == null) {
                return false;
            }
            ((Consumer<Serializable>) handler).accept(eviction);
            return true;
        }
    }
}

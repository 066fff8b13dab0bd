package io.outdial.dialer.dialing;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which attempts and contact claims this node may reconcile: its own, and those of nodes that are gone (their
 * liveness lease expired). Attempt rows carry the id of the node that started them (or last took them over), and
 * contact claims the id of the node that picked them; a node never recovers, hangs up or gives back what another
 * live node is following.
 */
interface NodeScope {

    /** This node's id (its cluster member id); the same for the life of the process. */
    String nodeId();

    /** Whether node {@code id} is running now (its liveness lease is held). Blocking: may ask the cluster. */
    boolean alive(String id);

    /** Whether other live nodes may share the database (a cluster): then runners look for orphans now and then. */
    default boolean shared() {
        return true;
    }

    /** Whether this node may reconcile what {@code id} started: its own, a dead node's, or a row without a node. */
    default boolean recoverable(String id) {
        return id == null || id.isEmpty() || id.equals(nodeId()) || !alive(id);
    }

    /** Whether {@code id} names another node that is gone (failover: its attempts are orphans). */
    default boolean orphaned(String id) {
        return id != null && !id.isEmpty() && !id.equals(nodeId()) && !alive(id);
    }

    /** A node alone: every other node id is a previous process of a node, gone. */
    static NodeScope alone(Supplier<String> nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return new NodeScope() {
            @Override
            public String nodeId() {
                return nodeId.get();
            }

            @Override
            public boolean alive(String id) {
                return id != null && id.equals(nodeId.get());
            }

            @Override
            public boolean shared() {
                return false;
            }
        };
    }
}

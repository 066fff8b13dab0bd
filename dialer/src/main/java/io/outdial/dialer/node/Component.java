package io.outdial.dialer.node;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * A part of the server that {@link DialerApp} starts and stops: the ARI client, the call engine, a campaign
 * scheduler, the REST API... Components are started in the order they were added, after the HTTP listener,
 * the database and the cluster, and stopped in reverse order after the drain. A component registers its
 * readiness checks with {@link DialerApp#readiness()} and its live work with {@link DialerApp#drain()}.
 */
public interface Component {
    /** Short name for logs, e.g. {@code ari}, {@code scheduler}. */
    String name();

    /** Mounts this component's HTTP routes; called once, before the listener starts. */
    default void routes(Router router) {
    }

    /** Starts the component; a failure aborts the node's start-up with this component's message. */
    Future<Void> start();

    /** Stops the component after the drain; should release resources even when start failed half-way. */
    default Future<Void> stop() {
        return Future.succeededFuture();
    }
}

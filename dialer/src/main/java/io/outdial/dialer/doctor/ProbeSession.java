package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.ari.OriginateRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The doctor's own connection to one Asterisk: an events websocket under the application {@code <app>-doctor-<id>}
 * (never the node's own name, which would take it from a running node) and the probe channels placed through it, each
 * watched by a {@link ChannelWatch}.
 */
final class ProbeSession {
    private final Vertx vertx;
    private final AriServer server;
    private final Map<String, ChannelWatch> watches = new ConcurrentHashMap<>();

    ProbeSession(Vertx vertx, AriServerConfig node, Clock clock) {
        this.vertx = vertx;
        AriServerConfig cfg = new AriServerConfig(node.name() + "-doctor", node.url(), node.username(),
            node.password(), app(node), 16, node.requestTimeout(), Duration.ofSeconds(30), Duration.ofMillis(200),
            Duration.ofSeconds(1));
        this.server = new AriServer(vertx, cfg, clock);
        server.onEvent(this::route);
    }

    /**
     * A probe application for a server's node application: {@code <app>-doctor-<6 hex>}, fresh per run so two doctors
     * at once (two supervisors, a command line next to a node) do not replace each other's application.
     */
    static String app(AriServerConfig node) {
        return node.app() + "-doctor-" + UUID.randomUUID().toString().substring(0, 6);
    }

    String app() {
        return server.config().app();
    }

    AriRestClient rest() {
        return server.rest();
    }

    /** Connects the websocket; fails when it cannot within {@code timeout}. */
    Future<Void> start(Duration timeout) {
        return server.start().timeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    Future<Void> stop() {
        return server.stop();
    }

    private void route(AriEvent e) {
        String id = e.channelId();
        ChannelWatch w = id == null ? null : watches.get(id);
        if (w != null) {
            w.accept(e);
        }
    }

    /** A fresh channel id, watched from before its originate. */
    ChannelWatch watch(String kind) {
        String id = "doctor-" + kind + "-" + UUID.randomUUID().toString().substring(0, 8);
        ChannelWatch w = new ChannelWatch(vertx, id);
        watches.put(id, w);
        return w;
    }

    /** Originates {@code request}; a failed originate fails the future with Asterisk's message. */
    Future<Void> originate(OriginateRequest request) {
        return server.rest().originate(request).mapEmpty();
    }

    /** Hangs a probe up if it still lives and forgets it. */
    Future<Void> end(ChannelWatch w) {
        watches.remove(w.id());
        if (w.destroyedNow()) {
            return Future.succeededFuture();
        }
        return server.rest().hangup(w.id(), "normal").recover(e -> Future.succeededFuture());
    }
}

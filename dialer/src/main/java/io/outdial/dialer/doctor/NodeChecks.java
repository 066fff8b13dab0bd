package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The node's own dependencies: the database and the media base URL as the PBX would resolve it. Blocking parts run
 * on a worker.
 */
final class NodeChecks {
    private final Vertx vertx;
    private final DoctorSetup setup;
    private final Consumer<DoctorCheck> out;

    NodeChecks(Vertx vertx, DoctorSetup setup, Consumer<DoctorCheck> out) {
        this.vertx = vertx;
        this.setup = setup;
        this.out = out;
    }

    Future<Void> database() {
        if (setup.database() == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(setup.database(), false).transform(ar -> {
            if (ar.succeeded()) {
                out.accept(DoctorCheck.ok("database", null, ar.result()));
            } else {
                out.accept(DoctorCheck.error("database", null, "the database cannot be reached: "
                    + ar.cause().getMessage(), "check database.url, user and password (DIALER_DATABASE_*) and that "
                    + "PostgreSQL accepts connections from this host"));
            }
            return Future.<Void>succeededFuture();
        });
    }

    Future<Void> mediaUrl() {
        if (!setup.soundDir().isEmpty()) {
            out.accept(DoctorCheck.ok("media-url", null, "prompts are shared through the directory "
                + setup.soundDir()));
            return Future.succeededFuture();
        }
        String url = setup.mediaBaseUrl();
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        if (host == null) {
            out.accept(DoctorCheck.error("media-url", null, "the media base URL \"" + url + "\" has no host",
                "set media.baseUrl, e.g. http://10.0.0.5:8080"));
            return Future.succeededFuture();
        }
        String mediaHost = host;
        return vertx.executeBlocking(() -> judge(url, mediaHost), false).map(c -> {
            out.accept(c);
            return null;
        });
    }

    /** Blocking: resolves the media host and each Asterisk host. */
    private DoctorCheck judge(String url, String host) {
        InetAddress[] addrs;
        try {
            addrs = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return DoctorCheck.error("media-url", null, "the media base URL " + url + ": host " + host
                + " does not resolve", "set media.baseUrl to a name or address the PBX host resolves to this node");
        }
        String list = Arrays.stream(addrs).map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
        if (Arrays.stream(addrs).anyMatch(InetAddress::isAnyLocalAddress)) {
            return DoctorCheck.error("media-url", null, "the media base URL " + url + " names the wildcard address "
                + list, "set media.baseUrl to this node's address as the PBX reaches it, e.g. http://10.0.0.5:8080");
        }
        if (Arrays.stream(addrs).allMatch(InetAddress::isLoopbackAddress)) {
            List<String> remote = setup.servers().stream().filter(s -> !loopback(s)).map(AriServerConfig::name)
                .toList();
            if (!remote.isEmpty()) {
                return DoctorCheck.warning("media-url", null, "the media base URL " + url + " is a loopback address ("
                    + list + ") but Asterisk " + String.join(", ", remote) + " runs on another host: it would fetch "
                    + "prompts from itself", "set media.baseUrl to this node's address on the network Asterisk uses, "
                    + "e.g. http://10.0.0.5:8080");
            }
        }
        return DoctorCheck.ok("media-url", null, "media is served at " + url + " (" + list + ")");
    }

    private static boolean loopback(AriServerConfig s) {
        try {
            return Arrays.stream(InetAddress.getAllByName(URI.create(s.url()).getHost()))
                .allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}

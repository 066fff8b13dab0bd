package io.outdial.dialer.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay to a server (the test PostgreSQL) that a test can cut and restore: cut closes the listening
 * port and every relayed connection, so the database looks gone to whoever connects through the relay (connections
 * refused, open ones broken); restore listens on the same port again.
 */
public final class TcpCut implements AutoCloseable {
    private final Vertx vertx;
    private final int targetPort;
    private final NetClient client;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile NetServer server;
    private int port;

    private TcpCut(Vertx vertx, int targetPort) {
        this.vertx = vertx;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient();
    }

    /** A relay on an ephemeral loopback port to {@code 127.0.0.1:targetPort}. */
    public static TcpCut open(Vertx vertx, int targetPort) {
        TcpCut t = new TcpCut(vertx, targetPort);
        t.listen(0);
        return t;
    }

    public int port() {
        return port;
    }

    /** Closes the port and every relayed connection. */
    public void cut() {
        NetServer s = server;
        server = null;
        if (s != null) {
            s.close().await();
        }
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    /** Listens on the same port again. */
    public void restore() {
        listen(port);
    }

    private void listen(int on) {
        NetServer s = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(on)
            .setReuseAddress(true));
        s.connectHandler(in -> {
            in.pause();
            sockets.add(in);
            client.connect(targetPort, "127.0.0.1").onSuccess(out -> {
                sockets.add(out);
                out.pipeTo(in);
                in.pipeTo(out);
            }).onFailure(err -> in.close());
        });
        server = s.listen().await();
        port = server.actualPort();
    }

    @Override
    public void close() {
        cut();
        client.close();
    }
}

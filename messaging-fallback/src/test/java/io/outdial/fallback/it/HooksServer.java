package io.outdial.fallback.it;

import io.outdial.fallback.hooks.InboundHooks;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The inbound hooks mounted under /hooks on a loopback HTTP server, as the dialer mounts them. */
final class HooksServer implements AutoCloseable {

    final HttpServer server;

    HooksServer(Vertx vertx, InboundHooks hooks) {
        Router root = Router.router(vertx);
        root.route("/hooks/*").subRouter(hooks.router());
        server = vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1").await();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + "/hooks" + path;
    }

    @Override
    public void close() {
        server.close().await();
    }
}

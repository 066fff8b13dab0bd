package io.outdial.sandbox.pbx.impl;

import io.outdial.sandbox.pbx.Faults;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@link Faults} and the router handler that applies the REST faults. Rules may be changed from any thread. */
final class FaultState implements Faults {

    private enum Kind { DELAY, FAIL, RESET }

    private static final class Rule {
        final Kind kind;
        final Pattern path;
        final long delayMillis;
        final int status;
        int remaining;

        Rule(Kind kind, String pathRegex, long delayMillis, int status, int remaining) {
            this.kind = kind;
            this.path = Pattern.compile(pathRegex);
            this.delayMillis = delayMillis;
            this.status = status;
            this.remaining = remaining;
        }
    }

    private final PbxVerticle pbx;
    private final List<Rule> rules = new ArrayList<>();
    private volatile boolean active;
    private volatile boolean hang;
    private volatile boolean shuttingDown;

    /** Asterisk's HTTP server's error page for a request refused while it shuts down. */
    static final String SHUTDOWN_PAGE = "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\r\n<html><head>\r\n"
        + "<title>503 Service Unavailable</title>\r\n</head><body>\r\n<h1>Service Unavailable</h1>\r\n"
        + "<p>Shutdown in progress</p>\r\n<hr />\r\n<address>Asterisk Server</address>\r\n</body></html>\r\n";
    private final List<io.vertx.core.http.WebSocket> impostors = new java.util.concurrent.CopyOnWriteArrayList<>();

    FaultState(PbxVerticle pbx) {
        this.pbx = pbx;
    }

    @Override
    public void dropWebsockets() {
        pbx.onContext(() -> pbx.engine().apps.closeAll());
    }

    @Override
    public synchronized void delayRest(String pathRegex, Duration delay) {
        rules.add(new Rule(Kind.DELAY, pathRegex, delay.toMillis(), 0, -1));
        active = true;
    }

    @Override
    public synchronized void failRest(String pathRegex, int status, int count) {
        rules.add(new Rule(Kind.FAIL, pathRegex, 0, status, count));
        active = true;
    }

    @Override
    public synchronized void resetRest(String pathRegex, int count) {
        rules.add(new Rule(Kind.RESET, pathRegex, 0, 0, count));
        active = true;
    }

    @Override
    public void hangRest(boolean on) {
        hang = on;
    }

    @Override
    public void stopAnswering(boolean on) {
        pbx.engine().stopAnswering = on;
    }

    @Override
    public void shutdown() {
        shuttingDown = true;
        pbx.onContext(() -> pbx.engine().hangups.shutdownAll());
    }

    @Override
    public Future<Void> down() {
        return pbx.down();
    }

    @Override
    public Future<Void> up() {
        shuttingDown = false;
        return pbx.up();
    }

    @Override
    public void endpointState(String endpoint, String state) {
        if (!List.of("online", "offline", "unknown").contains(state)) {
            throw new IllegalArgumentException("endpoint state " + state + " must be online, offline or unknown");
        }
        if (endpoint == null || endpoint.indexOf('/') <= 0 || endpoint.endsWith("/")) {
            throw new IllegalArgumentException("endpoint " + endpoint + " must look like TECH/resource");
        }
        pbx.onContext(() -> pbx.engine().endpoints.setState(endpoint, state));
    }

    @Override
    public void removeEndpoint(String endpoint) {
        pbx.onContext(() -> pbx.engine().endpoints.remove(endpoint));
    }

    @Override
    public void unloadModule(String name) {
        pbx.engine().modules.unload(name);
    }

    @Override
    public void mediaUnreachable(boolean on) {
        pbx.engine().mediaUnreachable = on;
    }

    @Override
    public void removeContext(String context) {
        pbx.engine().missingContexts.add(context);
    }

    @Override
    public Future<Void> replaceApp(String app) {
        var options = new io.vertx.core.http.WebSocketConnectOptions().setHost(pbx.options().host())
            .setPort(pbx.port()).setURI("/ari/events?app=" + java.net.URLEncoder.encode(app,
                java.nio.charset.StandardCharsets.UTF_8) + "&api_key=" + java.net.URLEncoder.encode(
                pbx.options().username() + ":" + pbx.options().password(), java.nio.charset.StandardCharsets.UTF_8));
        return pbx.vertx().createWebSocketClient().connect(options).map(ws -> {
            impostors.add(ws);
            return null;
        });
    }

    @Override
    public void clockSkew(Duration skew) {
        pbx.engine().clockSkewMillis = skew.toMillis();
    }

    @Override
    public synchronized void clear() {
        rules.clear();
        active = false;
        hang = false;
        shuttingDown = false;
        pbx.engine().stopAnswering = false;
        pbx.engine().modules.reset();
        pbx.engine().mediaUnreachable = false;
        pbx.engine().missingContexts.clear();
        pbx.engine().clockSkewMillis = 0;
        impostors.forEach(ws -> ws.close());
        impostors.clear();
        pbx.onContext(() -> pbx.engine().endpoints.reset());
    }

    private synchronized Rule match(String path) {
        for (Rule rule : rules) {
            if (rule.remaining != 0 && rule.path.matcher(path).matches()) {
                if (rule.remaining > 0) {
                    rule.remaining--;
                }
                return rule;
            }
        }
        return null;
    }

    /** Router handler placed before the ARI routes. */
    void handle(RoutingContext ctx) {
        if (hang) {
            return;
        }
        if (shuttingDown) {
            ctx.response().setStatusCode(503).setStatusMessage("Service Unavailable")
                .putHeader("Content-Type", "text/html").end(SHUTDOWN_PAGE);
            return;
        }
        if (!active) {
            ctx.next();
            return;
        }
        String path = ctx.request().path();
        Rule rule = match(path.startsWith("/ari") ? path.substring(4) : path);
        if (rule == null) {
            ctx.next();
        } else if (rule.kind == Kind.DELAY) {
            ctx.vertx().setTimer(Math.max(1, rule.delayMillis), id -> ctx.next());
        } else if (rule.kind == Kind.FAIL) {
            ctx.response().setStatusCode(rule.status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", "Injected fault").encode());
        } else {
            ctx.request().connection().close();
        }
    }
}

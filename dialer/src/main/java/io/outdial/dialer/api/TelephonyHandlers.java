package io.outdial.dialer.api;

import io.outdial.dialer.ari.AriHealth;
import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.server.ProblemException;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.Trunk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * This node's telephony: each Asterisk server's connection state and live calls, each trunk's state and limits;
 * and a reconnect of one server's events websocket. The reconnect is how an operator takes the ARI application back
 * after {@code ApplicationReplaced} (another process connected with the same application name: the node stops
 * reconnecting by itself so the two do not steal the application from each other in a loop). Reads in-memory state
 * only: answered on the event loop.
 */
final class TelephonyHandlers {
    private final ApiRoutes api;

    TelephonyHandlers(ApiRoutes api) {
        this.api = api;
    }

    void mount(Router router) {
        String base = ApiRoutes.PREFIX + "/telephony";
        router.get(base).handler(this::status);
        router.post(base + "/servers/:name/reconnect").handler(this::reconnect);
        router.get(base + "/doctor").handler(this::doctor);
    }

    private TelephonyComponent component() {
        TelephonyComponent t = api.telephony();
        if (t == null) {
            throw new ProblemException(503, "no_telephony", "this node runs no telephony", null);
        }
        return t;
    }

    private void status(RoutingContext ctx) {
        try {
            TelephonyComponent t = component();
            JsonArray servers = new JsonArray();
            Telephony running = t.telephony().orElse(null);
            if (running != null) {
                for (CallEngine e : running.engines()) {
                    servers.add(server(e));
                }
            }
            JsonArray trunks = new JsonArray();
            for (Trunk trunk : t.trunks().values()) {
                DependencyStatus s = t.trunkStatus(trunk.name());
                trunks.add(new JsonObject().put("name", trunk.name()).put("state", s.stateName())
                    .put("detail", s.detail()).put("maxLines", trunk.maxLines()).put("maxCps", trunk.maxCps()));
            }
            ApiRoutes.json(ctx, 200, new JsonObject().put("accepting", t.accepting()).put("servers", servers)
                .put("trunks", trunks));
        } catch (ProblemException e) {
            ctx.fail(e);
        }
    }

    private void reconnect(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        try {
            Telephony running = component().telephony().orElseThrow(() ->
                new ProblemException(503, "no_telephony", "telephony is not started on this node", null));
            CallEngine e = running.engine(name);
            if (e == null) {
                throw ProblemException.notFound("no Asterisk server \"" + name + "\" on this node");
            }
            e.server().reconnect();
            ApiRoutes.json(ctx, 202, server(e).put("reconnecting", true));
        } catch (ProblemException e) {
            ctx.fail(e);
        }
    }

    /**
     * Every check of the deployment with probe calls (no test call: a GET places no real call); 200 when nothing is
     * an error, else 503, with the report either way. For supervisors.
     */
    private void doctor(RoutingContext ctx) {
        io.outdial.dialer.doctor.Doctor d = api.doctor();
        if (d == null || api.telephony() == null) {
            ctx.fail(new ProblemException(503, "no_telephony", "this node runs no telephony", null));
            return;
        }
        d.run().onSuccess(r -> ApiRoutes.json(ctx, r.getBoolean("ok") ? 200 : 503, r)).onFailure(ctx::fail);
    }

    private static JsonObject server(CallEngine e) {
        AriServer s = e.server();
        AriHealth h = s.health();
        return new JsonObject().put("name", s.config().name()).put("url", s.config().url())
            .put("app", s.config().app()).put("state", h.state().name()).put("detail", h.detail())
            .put("since", h.since() == null ? null : h.since().toString()).put("liveCalls", e.activeCalls());
    }
}

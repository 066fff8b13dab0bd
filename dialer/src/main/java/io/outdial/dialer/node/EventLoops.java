package io.outdial.dialer.node;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Fresh event-loop contexts through Vert.x's public API: each is the context of an empty deployment, so work that
 * must not queue behind the rest of the node (an Asterisk connection, a campaign runner) gets an event loop of its
 * own (Vert.x spreads deployments over its event loops). The deployments end when Vert.x closes.
 */
public final class EventLoops {
    private EventLoops() {
    }

    /** A fresh event-loop context; the future completes on the caller's context. */
    public static Future<Context> fresh(Vertx vertx) {
        Context caller = vertx.getOrCreateContext();
        Promise<Context> made = Promise.promise();
        vertx.deployVerticle((Deployable) context -> {
            caller.runOnContext(v -> made.complete(context));
            return Future.succeededFuture();
        }).onFailure(err -> caller.runOnContext(v -> made.tryFail(err)));
        return made.future();
    }

    /** {@code n} fresh event-loop contexts, in order. */
    public static Future<List<Context>> fresh(Vertx vertx, int n) {
        List<Future<Context>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(fresh(vertx));
        }
        return Future.all(all).map(f -> f.<Context>list());
    }
}

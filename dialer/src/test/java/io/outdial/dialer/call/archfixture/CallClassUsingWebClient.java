package io.outdial.dialer.call.archfixture;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

/** Test fixture: a call-package class calling Asterisk with its own WebClient, which ModuleRulesTest must reject. */
public final class CallClassUsingWebClient {
    private CallClassUsingWebClient() { }

    /** Would bypass the ARI client. */
    public static WebClient bypass(Vertx vertx) {
        return WebClient.create(vertx);
    }
}

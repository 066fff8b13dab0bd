package io.outdial.dialer;

import io.outdial.dialer.ready.DependencyStatus;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the demo's simulated world into a node before it starts. This is the hook where the sandbox PBX,
 * the sandbox messaging carriers and the seeded demo campaign get added as {@link Component}s; everything
 * added here must be labelled SIMULATED in the log and in {@code /ready}.
 */
public final class DemoSetup {
    private static final Logger LOG = LoggerFactory.getLogger(DemoSetup.class);

    private DemoSetup() {
    }

    /** Adds the demo's simulated components and readiness entries to {@code app}. */
    public static void install(DialerApp app) {
        LOG.warn("SIMULATED: demo mode; no real calls or messages leave this machine");
        app.readiness().register("demo", () -> Future.succeededFuture(DependencyStatus.simulated(
            "demo mode: telephony and messaging are simulated on loopback")));
    }
}

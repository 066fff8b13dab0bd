package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.trunk.EndpointRef;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One trunk on one server: its dial pattern gives a valid endpoint for a sample number, and the endpoint the
 * pattern dials through is known to Asterisk and online ({@code GET /endpoints/{tech}/{resource}}).
 */
final class TrunkCheck {
    /** A sample number for the dial pattern. */
    static final String SAMPLE = "+15550100";

    private final AriRestClient rest;
    private final String server;
    private final Consumer<DoctorCheck> out;

    TrunkCheck(AriRestClient rest, String server, Consumer<DoctorCheck> out) {
        this.rest = rest;
        this.server = server;
        this.out = out;
    }

    Future<Void> run(TrunkConfig config) {
        String target = config.name() + "@" + server;
        String dialed;
        try {
            dialed = new Trunk(config).endpoint(SAMPLE);
        } catch (IllegalArgumentException e) {
            out.accept(DoctorCheck.error("trunk", target, e.getMessage(), "fix trunks[" + config.name()
                + "].endpointPattern"));
            return Future.succeededFuture();
        }
        if (dialed.contains("{") || dialed.contains("}") || dialed.contains(" ")) {
            out.accept(DoctorCheck.error("trunk", target, "the dial pattern " + config.endpointPattern() + " gives "
                + dialed + " for " + SAMPLE, "use {number} once and no other placeholder, e.g. "
                + "PJSIP/{number}@carrier"));
            return Future.succeededFuture();
        }
        Optional<EndpointRef> fixed = config.fixedEndpoint();
        if (fixed.isEmpty()) {
            out.accept(DoctorCheck.warning("trunk", target, "dials " + SAMPLE + " as " + dialed + "; the pattern has "
                + "no fixed endpoint whose state Asterisk could report", "a pattern like PJSIP/{number}@carrier "
                + "lets the dialer watch the trunk's state"));
            return Future.succeededFuture();
        }
        EndpointRef ep = fixed.get();
        String head = "dials " + SAMPLE + " as " + dialed + "; endpoint " + ep;
        return rest.endpoint(ep.technology(), ep.resource()).map(e -> {
            String state = e.state() == null ? "unknown" : e.state();
            if ("online".equalsIgnoreCase(state)) {
                out.accept(DoctorCheck.ok("trunk", target, head + " is online"));
            } else if ("offline".equalsIgnoreCase(state)) {
                out.accept(DoctorCheck.error("trunk", target, head + " is offline: calls on it fail at once",
                    "Asterisk cannot reach the carrier: check the endpoint's AOR contact and qualify in pjsip.conf, "
                        + "its registration (pjsip show registrations) and the network to the carrier"));
            } else {
                out.accept(DoctorCheck.warning("trunk", target, head + " is in state " + state, "set "
                    + "qualify_frequency on the trunk's AOR so Asterisk knows whether the carrier is reachable"));
            }
            return (Void) null;
        }).recover(err -> {
            if (err instanceof AriException && ((AriException) err).notFound()) {
                out.accept(DoctorCheck.error("trunk", target, head + " does not exist on Asterisk",
                    "define it in pjsip.conf (type=endpoint " + ep.resource() + ") or fix trunks[" + config.name()
                        + "].endpointPattern"));
            } else {
                out.accept(DoctorCheck.error("trunk", target, "GET /endpoints/" + ep + " failed: " + err.getMessage(),
                    "load res_ari_endpoints.so"));
            }
            return Future.succeededFuture();
        });
    }
}

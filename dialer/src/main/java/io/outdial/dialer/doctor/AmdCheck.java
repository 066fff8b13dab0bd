package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriException;
import io.outdial.dialer.ari.OriginateRequest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The AMD context: a Local channel originated into {@code dialer-amd} (answered and silent on the far side, in
 * {@code dialer-doctor}) must run AMD() and enter the application named in {@code OUTDIAL_APP} with the AMD status
 * and cause as Stasis arguments, as every AMD call does.
 */
final class AmdCheck {
    private final ProbeSession session;
    private final String server;
    private final DoctorSetup setup;
    private final Consumer<DoctorCheck> out;

    AmdCheck(ProbeSession session, String server, DoctorSetup setup, Consumer<DoctorCheck> out) {
        this.session = session;
        this.server = server;
        this.setup = setup;
        this.out = out;
    }

    private static final String FIX = "add the [" + DoctorSetup.AMD_CONTEXT + "] context of "
        + "asterisk-config/extensions.conf (exten s: AMD(), then Stasis(${OUTDIAL_APP},${AMDSTATUS},${AMDCAUSE})), "
        + "load app_amd.so and run \"dialplan reload\"";

    Future<Void> run() {
        ChannelWatch w = session.watch("amd");
        OriginateRequest r = OriginateRequest.toContext("Local/s@" + DoctorSetup.PROBE_CONTEXT, w.id(),
            DoctorSetup.AMD_CONTEXT, "s", 1, Duration.ofSeconds(30), null, Map.of("OUTDIAL_APP", session.app()));
        return session.originate(r)
            // a call into a context is not subscribed to its channel: ask for its events, as the call engine does
            .compose(v -> session.rest().subscribe(session.app(), "channel:" + w.id()).transform(sub -> {
                if (sub.failed() && sub.cause() instanceof AriException
                    && (((AriException) sub.cause()).status() == 422 || ((AriException) sub.cause()).notFound())) {
                    return Future.succeededFuture(new ChannelWatch.Outcome(null, null));
                }
                return w.entered(setup.timeout());
            }))
            .transform(ar -> {
                report(ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause().getMessage() : null);
                return Future.<Void>succeededFuture();
            })
            .eventually(() -> session.end(w));
    }

    private void report(ChannelWatch.Outcome o, String failure) {
        String ctx = DoctorSetup.AMD_CONTEXT;
        if (o == null) {
            out.accept(DoctorCheck.error("amd", server, "a call through " + ctx + " did not reach the application: "
                + failure, FIX));
        } else if (!o.answered()) {
            out.accept(DoctorCheck.error("amd", server, "a call through " + ctx + " ended" + (o.destroyed() == null
                ? " at once" : " (cause " + o.destroyed().cause() + ")") + " without entering the application: the "
                + "context is missing or does not run Stasis(${OUTDIAL_APP},...)", FIX));
        } else {
            List<String> args = o.started().args() == null ? List.of() : o.started().args();
            if (args.isEmpty() || args.get(0).isBlank()) {
                out.accept(DoctorCheck.error("amd", server, ctx + " handed the call to the application without the "
                    + "AMD status (Stasis args " + args + ")", FIX));
            } else {
                out.accept(DoctorCheck.ok("amd", server, ctx + " ran AMD and handed the call to the application with "
                    + "AMDSTATUS " + args.get(0) + (args.size() > 1 ? " (" + args.get(1) + ")" : "")));
            }
        }
    }
}

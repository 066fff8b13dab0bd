package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriEvent;
import io.outdial.dialer.ari.OriginateRequest;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One real call to the test number through a trunk: it rings, maybe answers; when answered a short prompt asks for a
 * key and the call listens for DTMF, then hangs up. The outcome, the answer time and the digits heard are told in
 * plain words.
 */
final class TestCall {
    static final String PROMPT = "This is a test call from the Outdial dialer. Press any key.";

    private final ProbeSession session;
    private final String server;
    private final DoctorSetup setup;
    private final Consumer<DoctorCheck> out;

    TestCall(ProbeSession session, String server, DoctorSetup setup, Consumer<DoctorCheck> out) {
        this.session = session;
        this.server = server;
        this.setup = setup;
        this.out = out;
    }

    Future<Void> run() {
        String number = setup.testNumber();
        TrunkConfig config = setup.trunks().stream()
            .filter(t -> setup.testTrunk() == null || t.name().equals(setup.testTrunk())).findFirst().orElse(null);
        if (config == null) {
            out.accept(DoctorCheck.error("test-call", number, setup.testTrunk() == null ? "no trunk is configured"
                : "no trunk named " + setup.testTrunk(), "add a trunks[] entry (docs/configuration.md)"));
            return Future.succeededFuture();
        }
        Trunk trunk = new Trunk(config);
        String endpoint;
        try {
            endpoint = trunk.endpoint(number);
        } catch (IllegalArgumentException e) {
            out.accept(DoctorCheck.error("test-call", number, e.getMessage(), "give the number as digits with an "
                + "optional leading +"));
            return Future.succeededFuture();
        }
        ChannelWatch w = session.watch("call");
        Instant start = setup.clock().instant();
        String what = "call to " + number + " through " + config.name() + " (" + endpoint + ") on " + server;
        return session.originate(OriginateRequest.toApp(endpoint, w.id(), session.app(), "doctor-test-call",
                trunk.originateTimeout(), trunk.callerIdFor(number, 1), Map.of()))
            .compose(v -> w.entered(trunk.originateTimeout().plus(setup.timeout())))
            .transform(ar -> {
                if (ar.failed()) {
                    out.accept(DoctorCheck.error("test-call", number, what + " failed: " + ar.cause().getMessage(),
                        "check the trunk above; Asterisk's log shows why the call could not be placed"));
                    return Future.succeededFuture();
                }
                if (!ar.result().answered()) {
                    unanswered(what, ar.result().destroyed(), w);
                    return Future.succeededFuture();
                }
                return answered(what, w, Duration.between(start, setup.clock().instant()));
            })
            .eventually(() -> session.end(w));
    }

    private void unanswered(String what, AriEvent.ChannelDestroyed d, ChannelWatch w) {
        String words = words(d.cause(), w.lastDialStatus());
        String text = what + ": not answered, " + words + " (cause " + d.cause()
            + (d.causeTxt() == null ? "" : " " + d.causeTxt()) + ")";
        if (words.equals("busy") || words.equals("no answer")) {
            out.accept(DoctorCheck.warning("test-call", setup.testNumber(), text, "call a phone that answers to "
                + "check the whole path"));
        } else {
            out.accept(DoctorCheck.error("test-call", setup.testNumber(), text, "the carrier refused the call: check "
                + "the number's format for this carrier (e.g. +E.164), the caller id and the trunk's account"));
        }
    }

    private Future<Void> answered(String what, ChannelWatch w, Duration answerTime) {
        Future<String> played = setup.prompts() == null ? Future.succeededFuture("no prompt (no TTS on this node)")
            : setup.prompts().resolveTts(PROMPT, MediaCheck.ENGINE, MediaCheck.VOICE)
                .compose(uri -> session.rest().play(w.id(), w.id() + "-pb", List.of(uri))
                    .compose(v -> w.playbackFinished(w.id() + "-pb", setup.timeout())))
                .map(state -> "the prompt played (" + state + ")")
                .otherwise(e -> "the prompt did not play: " + e.getMessage());
        return played.compose(prompt -> w.ended(setup.listen()).map(d -> {
            String digits = w.digits();
            String heard = digits.isEmpty() ? "heard no DTMF" : "heard DTMF \"" + digits + "\"";
            String end = d == null ? "the dialer hung up" : "the called party hung up";
            out.accept(DoctorCheck.ok("test-call", setup.testNumber(), what + ": answered after "
                + String.format(java.util.Locale.ROOT, "%.1f", answerTime.toMillis() / 1000.0) + " s; " + prompt
                + "; " + heard + "; " + end));
            return null;
        }));
    }

    /** A Q.850 cause (or a final dial status) in plain words. */
    static String words(int cause, String dialStatus) {
        if (dialStatus != null) {
            switch (dialStatus) {
                case "BUSY":
                    return "busy";
                case "NOANSWER":
                    return "no answer";
                case "CONGESTION":
                    return "congestion";
                default:
                    break;
            }
        }
        switch (cause) {
            case 17:
                return "busy";
            case 18: case 19: case 20:
                return "no answer";
            case 1: case 2: case 3: case 22: case 28:
                return "invalid number";
            case 21:
                return "rejected";
            case 27: case 34: case 38: case 41: case 42: case 47:
                return "congestion";
            default:
                return "failed";
        }
    }
}

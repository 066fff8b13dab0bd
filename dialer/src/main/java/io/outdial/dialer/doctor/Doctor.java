package io.outdial.dialer.doctor;

import io.outdial.dialer.ari.AriRestClient;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.config.MediaConfig;
import io.outdial.dialer.telephony.TelephonyComponent;
import io.outdial.dialer.trunk.TrunkConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves a deployment end to end before the first campaign: each Asterisk (ARI and credentials, version, clock,
 * modules, application, events, media, AMD), each trunk, optionally one real test call, the database and the media
 * URL. {@link #run()} places probe calls (Local channels into {@code dialer-doctor}, no carrier involved, plus the
 * test call when asked); {@link #quick()} only reads (the campaign preflight uses it). Checks run one after another
 * and never fail the future: a failing check is an {@code error} in the report.
 */
public final class Doctor {
    private static final Logger LOG = LoggerFactory.getLogger(Doctor.class);

    private final Vertx vertx;
    private final DoctorSetup setup;

    Doctor(Vertx vertx, DoctorSetup setup) {
        this.vertx = vertx;
        this.setup = setup;
    }

    /**
     * Every check of the deployment {@code config} describes, from the command line: the configuration's servers
     * and trunks, its database, and its media served for the probes by the doctor itself on the configured listener
     * (when that address is taken, by the node expected to run there: {@code note} is told so before the checks).
     *
     * @param testNumber a number to call for real, or null
     * @param trunk      the trunk of the test call, or null for the first
     * @param clock      this node's clock, compared with each Asterisk's
     */
    public static Future<JsonObject> ofConfig(Vertx vertx, DialerConfig config, String testNumber, String trunk,
                                              Clock clock, Consumer<String> note) {
        return MediaHost.start(vertx, config).compose(media -> {
            Future<DoctorReport> report;
            try {
                DoctorSetup setup = new DoctorSetup(config.asterisk(), config.trunks(),
                    config.trunks().stream().anyMatch(TrunkConfig::amd), media.prompts(), media.baseUrl(),
                    config.media().soundDir(), DatabaseProbe.of(config.database()), null, testNumber, trunk,
                    clock, null, null);
                if (!media.note().isEmpty()) {
                    note.accept(media.note());
                }
                report = new Doctor(vertx, setup).report(true);
            } catch (RuntimeException e) {
                report = Future.failedFuture(e); // the media host is stopped all the same
            }
            return report.eventually(media::stop).map(DoctorReport::json);
        });
    }

    /** The doctor of a started node: its servers, trunks, prompts, media address, database and connections. */
    public static Doctor forNode(Vertx vertx, TelephonyComponent telephony, MediaConfig media, String listenerUrl,
                                 PromptResolver prompts, DataSource dataSource, boolean embedded, Clock clock) {
        return new Doctor(vertx, NodeSetup.of(telephony, media, listenerUrl, prompts, dataSource, embedded, clock));
    }

    /** This doctor with the campaign's AMD choice (a campaign may run AMD on a trunk that does not). */
    public Doctor withAmd(boolean amd) {
        DoctorSetup s = setup;
        return new Doctor(vertx, new DoctorSetup(s.servers(), s.trunks(), amd || s.amdUsed(), s.prompts(),
            s.mediaBaseUrl(), s.soundDir(), s.database(), s.nodeHealth(), s.testNumber(), s.testTrunk(), s.clock(),
            s.timeout(), s.listen()));
    }

    /**
     * Every check, with probe calls and the test call when a test number is set, as the report's JSON:
     * {@code {"ok", "errors", "warnings", "checks": [{"check", "target", "level", "message", "advice"}..]}}.
     */
    public Future<JsonObject> run() {
        return report(true).map(DoctorReport::json);
    }

    /** The checks that place no call (ARI, clock, modules, application, trunks, database, media URL), as in run. */
    public Future<JsonObject> quick() {
        return report(false).map(DoctorReport::json);
    }

    /**
     * A report of {@link #run()} or {@link #quick()} for a person: one line per check, the advice indented under it,
     * and a summary line.
     */
    public static String text(JsonObject report) {
        return DoctorReport.text(report);
    }

    /** Every check ({@code calls}: with probe calls and the test call when a test number is set). */
    Future<DoctorReport> report(boolean calls) {
        List<DoctorCheck> found = new CopyOnWriteArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        if (setup.servers().isEmpty()) {
            found.add(DoctorCheck.error("ari", null, "no Asterisk server is configured: nothing can be dialed",
                "add an asterisk[] entry with Asterisk's url, the ARI user and a unique app (docs/configuration.md)"));
        }
        boolean[] testCallPlaced = {setup.testNumber() == null || !calls};
        for (AriServerConfig s : setup.servers()) {
            chain = chain.compose(v -> server(s, found::add, calls, testCallPlaced));
        }
        NodeChecks node = new NodeChecks(vertx, setup, found::add);
        chain = chain.compose(v -> node.database()).compose(v -> node.mediaUrl());
        return chain.transform(ar -> {
            if (ar.failed()) {
                LOG.error("doctor: a check failed unexpectedly: {}", ar.cause().toString(), ar.cause());
                found.add(DoctorCheck.error("doctor", null, "a check failed unexpectedly: " + ar.cause(),
                    "report it with the node's log"));
            }
            DoctorReport report = new DoctorReport(found);
            LOG.info("doctor: {} error(s), {} warning(s) in {} check(s)", report.errors(), report.warnings(),
                found.size());
            return Future.succeededFuture(report);
        });
    }

    private Future<Void> server(AriServerConfig s, Consumer<DoctorCheck> out, boolean calls,
                                boolean[] testCallPlaced) {
        AriRestClient rest = new AriRestClient(vertx, s);
        return new ServerChecks(s, setup, rest, out).run().compose(facts -> {
            if (!facts.reachable()) {
                return Future.<Void>succeededFuture();
            }
            Future<Void> trunks = Future.succeededFuture();
            TrunkCheck trunk = new TrunkCheck(rest, s.name(), out);
            for (var t : setup.trunks()) {
                trunks = trunks.compose(v -> trunk.run(t));
            }
            return calls ? trunks.compose(v -> probes(s, out, testCallPlaced)) : trunks;
        }).eventually(() -> {
            rest.close();
            return Future.succeededFuture();
        });
    }

    private Future<Void> probes(AriServerConfig s, Consumer<DoctorCheck> out, boolean[] testCallPlaced) {
        ProbeSession session = new ProbeSession(vertx, s, setup.clock());
        return session.start(setup.timeout()).transform(ar -> {
            if (ar.failed()) {
                out.accept(DoctorCheck.error("events", s.name(), "the events websocket did not open for "
                    + session.app() + ": " + ar.cause().getMessage(), "load res_http_websocket.so and "
                    + "res_ari_events.so; a proxy in front of Asterisk must pass the websocket Upgrade"));
                return Future.<Void>succeededFuture();
            }
            Future<Void> f = new MediaCheck(session, s.name(), setup, out).run();
            if (setup.amdUsed()) {
                f = f.compose(v -> new AmdCheck(session, s.name(), setup, out).run());
            }
            if (!testCallPlaced[0]) {
                testCallPlaced[0] = true;
                f = f.compose(v -> new TestCall(session, s.name(), setup, out).run());
            }
            return f;
        }).eventually(session::stop);
    }
}

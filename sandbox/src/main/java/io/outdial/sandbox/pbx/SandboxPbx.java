package io.outdial.sandbox.pbx;

import io.outdial.sandbox.pbx.impl.PbxVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An embeddable ARI server on loopback that behaves like Asterisk 22 driving simulated called parties:
 * REST under {@code /ari}, the events websocket at {@code /ari/events?app=<name>}, Local channels with the
 * reference {@code [callee]} dialplan, and PJSIP/SIP/IAX2 endpoints whose called parties follow
 * {@link CalleeScripts}. All state lives on one Vert.x context; timers go through {@link PbxClock}.
 */
public final class SandboxPbx {

    private final Vertx vertx;
    private final PbxVerticle verticle;
    private final String deploymentId;

    private SandboxPbx(Vertx vertx, PbxVerticle verticle, String deploymentId) {
        this.vertx = vertx;
        this.verticle = verticle;
        this.deploymentId = deploymentId;
    }

    /** Starts a PBX with {@code options}; the future completes once it listens. */
    public static Future<SandboxPbx> start(Vertx vertx, SandboxPbxOptions options) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        PbxVerticle verticle = new PbxVerticle(options);
        return vertx.deployVerticle(verticle).map(id -> new SandboxPbx(vertx, verticle, id));
    }

    /** The port it listens on. */
    public int port() {
        return verticle.port();
    }

    /** E.g. {@code http://127.0.0.1:8088/ari}. */
    public String ariBaseUrl() {
        return "http://" + verticle.options().host() + ":" + port() + "/ari";
    }

    /** E.g. {@code ws://127.0.0.1:8088/ari/events}. */
    public String eventsUrl() {
        return "ws://" + verticle.options().host() + ":" + port() + "/ari/events";
    }

    /** Stops listening and drops every call. */
    public Future<Void> close() {
        return vertx.undeploy(deploymentId);
    }

    /** The called-party table; register scripts by number pattern. */
    public CalleeScripts scripts() {
        return verticle.scripts();
    }

    /** Fault injection. */
    public Faults faults() {
        return verticle.faults();
    }

    /** The clock that times callees, prompts and recordings (use it to schedule test steps in virtual time). */
    public PbxClock clock() {
        return verticle.clock();
    }

    /** Channels alive now (both halves of a Local channel count). */
    public int liveChannelCount() {
        return verticle.liveChannels();
    }

    /** Calls (originates) alive now. */
    public int liveCallCount() {
        return verticle.liveCalls();
    }

    /** Originates accepted since start. */
    public long originateCount() {
        return verticle.originates();
    }

    /** What the PBX saw: originate arrival times, media fetched and played. */
    public PbxLog log() {
        return verticle.log();
    }

    /** Whether app {@code name} is registered (websocket open or channels owned). */
    public boolean appRegistered(String name) {
        return verticle.appRegistered(name);
    }

    /** Where stored recordings are written ({@code <name>.wav}). */
    public Path recordingsDir() {
        return verticle.recordingsDir();
    }

    /** The options it was started with. */
    public SandboxPbxOptions options() {
        return verticle.options();
    }
}

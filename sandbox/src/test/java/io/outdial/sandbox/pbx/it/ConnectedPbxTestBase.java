package io.outdial.sandbox.pbx.it;

import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the ITs that talk to one sandbox PBX on loopback through an {@link AriTestClient} connected as app
 * {@code dialer}: a fresh Vert.x, PBX and client per test, all closed after it. Subclasses may override
 * {@link #options()}; their own {@code @AfterEach} methods run before this class's.
 */
abstract class ConnectedPbxTestBase {
    protected Vertx vertx;
    protected SandboxPbx pbx;
    protected AriTestClient ari;

    /** The PBX's options (default: {@link SandboxPbxOptions#defaults()}). */
    protected SandboxPbxOptions options() {
        return SandboxPbxOptions.defaults();
    }

    @BeforeEach
    void startPbx() {
        vertx = Vertx.vertx();
        pbx = SandboxPbx.start(vertx, options()).await();
        ari = new AriTestClient(vertx, pbx).connect("dialer");
    }

    @AfterEach
    void stopPbx() {
        ari.close().await();
        pbx.close().await();
        vertx.close().await();
    }
}

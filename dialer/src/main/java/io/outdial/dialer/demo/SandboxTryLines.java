package io.outdial.dialer.demo;

import io.outdial.dialer.flowtry.TryLines;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.RemoteCallee;
import io.outdial.sandbox.pbx.SandboxPbx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flow tries on the demo's sandbox PBX: each try gets a number of its own ({@value #PREFIX} and a counter) whose
 * called party is a {@link RemoteCallee} (rings 1 s, answers, then presses what the browser sends and hangs up when
 * told); the number's rule is removed when the try ends.
 */
final class SandboxTryLines implements TryLines {
    /** Numbers of tries: outside the demo contacts' range. */
    static final String PREFIX = "+1999555";
    private final SandboxPbx pbx;
    private final String server;
    private final String trunk;
    private final AtomicInteger seq = new AtomicInteger();

    SandboxTryLines(SandboxPbx pbx, String server, String trunk) {
        this.pbx = pbx;
        this.server = server;
        this.trunk = trunk;
    }

    @Override
    public String server() {
        return server;
    }

    @Override
    public String trunk() {
        return trunk;
    }

    @Override
    public TryLine open() {
        String number = PREFIX + String.format("%04d", Math.floorMod(seq.incrementAndGet(), 10_000));
        RemoteCallee callee = new RemoteCallee();
        pbx.scripts().registerNumber(number, CalleeScript.remote(callee, Duration.ofSeconds(1)));
        return new TryLine() {
            @Override
            public String number() {
                return number;
            }

            @Override
            public boolean press(String digits) {
                return callee.press(digits);
            }

            @Override
            public boolean hangUp() {
                return callee.hangUp();
            }

            @Override
            public void close() {
                pbx.scripts().unregisterNumber(number);
            }
        };
    }
}

package io.outdial.dialer.it;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.call.Telephony;
import io.outdial.dialer.config.DialerConfig;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.dialer.support.TestConfigs;
import io.outdial.dialer.trunk.Trunk;
import io.outdial.dialer.trunk.TrunkConfig;
import io.outdial.ivr.spi.CallControl;
import io.outdial.sandbox.pbx.CalleeScript;
import io.outdial.sandbox.pbx.SandboxPbx;
import io.outdial.sandbox.pbx.SandboxPbxOptions;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AMD calls (originated into the dialer-amd context, subscribed to their channel only after the originate reply)
 * that end before that subscription: with the node's trunk health subscribed to the trunk endpoint they end with
 * their real outcome at once; the other AMD paths keep working.
 */
class AmdEarlyOutcomeIT {
    @TempDir
    Path dataDir;
    private Vertx pbxVertx;
    private SandboxPbx pbx;
    private DialerApp app;
    private Trunk amd;

    @BeforeEach
    void start() {
        pbxVertx = Vertx.vertx();
        pbx = SandboxPbx.start(pbxVertx, SandboxPbxOptions.defaults().withCredentials("dialer", "pw")).await();
        AriServerConfig ast = new AriServerConfig("pbx1", "http://127.0.0.1:" + pbx.port(), "dialer", "pw",
            "amd-it", 64, Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(1));
        TrunkConfig trunk = new TrunkConfig("amd", "PJSIP/{number}@carrier", List.of(), false, 10, 10,
            Duration.ofSeconds(2), true);
        DialerConfig config = TestConfigs.local(dataDir).withAsterisk(List.of(ast)).withTrunks(List.of(trunk));
        app = DialerApp.create(config);
        Await.result(app.start());
        // the endpoint of trunk amd (PJSIP/carrier)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
            .until(() -> app.telephony().subscribed("pbx1", "amd"));
        amd = app.telephony().trunk("amd").orElseThrow();
    }

    @AfterEach
    void stop() {
        Await.result(app.stop());
        pbx.close().await();
        pbxVertx.close().await();
    }

    private CallRecord call(String id, String phone, ScriptedFlow flow) {
        Telephony t = app.telephony().telephony().orElseThrow();
        return Await.result(t.originate(new CallRequest(id, "camp", "contact-" + id, phone, Map.of(), amd, 1, null,
            null, MachinePolicy.HANG_UP, flow, Map.of())));
    }

    private static ScriptedFlow hangUpFlow() {
        return new ScriptedFlow(s -> s.control.hangup(CallControl.HangupReason.NORMAL), (s, e) -> { });
    }

    @Test
    void busyAtOnceEndsBusyWithinSeconds() {
        pbx.scripts().registerNumber("+15554440001", CalleeScript.busy(Duration.ZERO));
        CallRecord r = call("busy-1", "+15554440001", hangUpFlow());
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.BUSY);
        // BUSY, not the NO_ANSWER of the trunk's 2 s originate timeout: the early outcome was seen (no wall-clock
        // bound: it measures the machine's load)
    }

    @Test
    void congestionAtOnceEndsCongestion() {
        pbx.scripts().registerNumber("+15554440002", CalleeScript.congestion(Duration.ZERO));
        assertThat(call("cong-1", "+15554440002", hangUpFlow()).outcome().kind()).isEqualTo(OutcomeKind.CONGESTION);
    }

    @Test
    void noAnswerEndsNoAnswerAtTheRingTimeout() {
        CallRecord r = call("noans-1", "+15554440005", hangUpFlow()); // last digit 5: rings; trunk timeout 2 s
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.NO_ANSWER);
        // at the ring timeout, not before it (how long after it depends on the machine's load)
        assertThat(Duration.between(r.originateAt(), r.endAt())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void machineEndsMachineAndHumanRunsTheFlow() {
        pbx.scripts().registerNumber("+15554440007", CalleeScript.machine(Duration.ofMillis(100)));
        ScriptedFlow flow = hangUpFlow();
        CallRecord machine = call("mach-1", "+15554440007", flow);
        assertThat(machine.outcome().kind()).isEqualTo(OutcomeKind.MACHINE);
        assertThat(flow.infos).isEmpty();

        pbx.scripts().registerNumber("+15554440003", CalleeScript.answerAfter(Duration.ofMillis(100)));
        CallRecord human = call("human-1", "+15554440003", flow);
        assertThat(human.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(human.amdStatus()).isEqualTo("HUMAN");
        assertThat(flow.infos).singleElement().satisfies(i -> assertThat(i.amdStatus()).isEqualTo("HUMAN"));
    }
}
